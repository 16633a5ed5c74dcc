"""`python -m buildtools.cost --env prod [--profile medium] [--table]` (what `make cost` runs)."""

from __future__ import annotations

import argparse
import sys

from buildtools.cost import deployment, estimate, prices, profile, render


def main(argv: list[str] | None = None) -> int:
    """Print the estimate, or with --table every profile's as Markdown; 2 on bad input."""
    parser = argparse.ArgumentParser(prog="make cost", description=__doc__)
    parser.add_argument("--env", required=True, help="Terraform workspace: dev, staging or prod")
    parser.add_argument("--profile", default="medium", help="usage profile of usage.toml")
    parser.add_argument("--table", action="store_true", help="Markdown table of every profile")
    args = parser.parse_args(argv)
    try:
        deployed = deployment.load(args.env)
        names = profile.names() if args.table else (args.profile,)
        profiles = [profile.load(name) for name in names]
    except (deployment.UnknownEnvironment, profile.UnknownProfile) as error:
        print(f"make cost: {error}", file=sys.stderr)
        return 2
    price_list = prices.load()
    estimates = [estimate.estimate(deployed, p, price_list) for p in profiles]
    if args.table:
        sys.stdout.write(render.markdown_table(estimates))
    else:
        sys.stdout.write(render.text(estimates[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
