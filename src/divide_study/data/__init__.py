"""Reading the world: the articles, numbers and dates as French prints them, tables, reference data, cleaning."""
