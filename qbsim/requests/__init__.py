"""What QuickBooks does for each request type, given a structurally valid request."""
