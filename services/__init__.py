"""Domain services that views call: one function per thing a user does, tested without HTTP."""
