"""`make cost`: a monthly AWS estimate per service, from the Terraform environment and a profile.

prices.py reads the one price file, profile.py the usage profiles, deployment.py what the
Terraform workspace deploys; estimate.py multiplies them and render.py prints the result.
"""
