"""Every form of the web pages, one module per area; field names equal the model's where there is one."""
