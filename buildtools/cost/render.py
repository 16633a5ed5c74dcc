"""The estimate as text for the terminal, and as the Markdown table docs/cost.md carries."""

from __future__ import annotations

from collections.abc import Sequence

from buildtools.cost.estimate import SERVICES, Estimate


def _number(value: float) -> str:
    if value and abs(value) < 10:
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{value:,.0f}"


def _dollars(value: float) -> str:
    return f"{value:,.2f}"


def within_lambda_free_tier(e: Estimate) -> bool:
    """Whether the month's Lambda requests and GB-seconds both fit the always-free tier."""
    return all(free.used <= free.allowance for free in e.free_tier[:2])


def lambda_free_tier_answer(e: Estimate) -> str:
    """Whether the month stays within Lambda's always-free tier, with the numbers."""
    requests, compute = e.free_tier[0], e.free_tier[1]
    return (
        f"{'Within' if within_lambda_free_tier(e) else 'Beyond'} the Lambda free tier: "
        f"{_number(requests.used)} of {_number(requests.allowance)} requests, "
        f"{_number(compute.used)} of {_number(compute.allowance)} GB-s"
    )


def text(e: Estimate) -> str:
    """The line items per service, the totals, and the free tier, as aligned text."""
    d, p, prices = e.deployment, e.profile, e.prices
    out = [
        f"Monthly estimate of {d.environment} ({d.region}), profile {p.name}: {p.description}",
        f"{p.sessions:,} QR sessions, {p.visits:,} counter visits,"
        f" {p.health_checks:,} health checks, {p.scans:,} scans"
        f" ({p.scan_cache_hit_ratio:.0%} from the cache)",
        f"Prices: {prices.region}, read on {prices.read_on} (buildtools/cost/prices.toml)",
    ]
    if d.region != prices.region:
        out.append(
            f"warning: {d.environment} deploys to {d.region}; the prices are {prices.region}'s"
        )
    width = 34
    for service in SERVICES:
        lines = [line for line in e.lines if line.service == service]
        out += ["", f"{service:<{width}}{'quantity':>28}{'USD/month':>12}"]
        for line in lines:
            quantity = f"{_number(line.quantity)} {line.unit}"
            out.append(f"  {line.item:<{width - 2}}{quantity:>28}{_dollars(line.cost):>12}")
            if line.resource:
                out[-1] += f"  {line.resource}"
        out.append(f"  {'subtotal':<{width - 2}}{'':>28}{_dollars(e.by_service()[service]):>12}")
    out += ["", f"{'total before the free tier':<{width + 28}}{_dollars(e.total):>12}", ""]
    out.append("Always-free tier (per account: every environment in the account shares it)")
    for free in e.free_tier:
        used = f"{_number(free.used)} of {_number(free.allowance)} {free.unit}"
        out.append(f"  {free.item:<{width - 2}}{used:>28}{_dollars(-free.saving):>12}")
    after = e.total - e.free_tier_saving
    out += [f"{'total after the free tier':<{width + 28}}{_dollars(after):>12}", ""]
    out.append(lambda_free_tier_answer(e))
    return "\n".join(out) + "\n"


def markdown_table(estimates: Sequence[Estimate]) -> str:
    """One column per estimate (profile): per-service dollars, totals and the Lambda free tier."""
    header = "| USD per month | " + " | ".join(e.profile.name for e in estimates) + " |"
    rows = [header, "|---|" + "---:|" * len(estimates)]

    def row(label: str, values: Sequence[str]) -> None:
        rows.append(f"| {label} | " + " | ".join(values) + " |")

    row(
        "QR sessions / visits / scans",
        [f"{e.profile.sessions:,} / {e.profile.visits:,} / {e.profile.scans:,}" for e in estimates],
    )
    for service in SERVICES:
        row(service, [_dollars(e.by_service()[service]) for e in estimates])
    row("**total before the free tier**", [f"**{_dollars(e.total)}**" for e in estimates])
    row("always-free tier", [_dollars(-e.free_tier_saving) for e in estimates])
    row(
        "**total after the free tier**",
        [f"**{_dollars(e.total - e.free_tier_saving)}**" for e in estimates],
    )
    row("Lambda requests (1M free)", [_number(e.free_tier[0].used) for e in estimates])
    row("Lambda GB-s (400,000 free)", [_number(e.free_tier[1].used) for e in estimates])
    row(
        "within the Lambda free tier?",
        ["yes" if within_lambda_free_tier(e) else "no" for e in estimates],
    )
    return "\n".join(rows) + "\n"
