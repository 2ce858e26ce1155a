"""The build: steps, parameters, engine, progress, the command line."""
