"""The analyses: measures, comparisons, sensitivity, charts."""
