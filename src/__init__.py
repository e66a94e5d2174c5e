"""Decision-support dashboard source package."""
