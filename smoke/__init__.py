"""Post-deploy smoke checks of any deployment of the stack, on AWS or `make up`."""
