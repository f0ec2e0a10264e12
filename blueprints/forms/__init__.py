"""Forms for the inventory pages; field names equal the model's field names."""
