"""Terraform with a hashicorp/aws provider already on this machine, so nothing downloads it.

The provider is looked for, in this order:

1. `TF_PROVIDER_MIRROR`, a filesystem mirror (`registry.terraform.io/hashicorp/aws/...`);
2. the plugin directories Terraform itself searches (its implied local mirrors):
   `terraform.d/plugins` in the working directory, `~/.terraform.d/plugins`,
   `$XDG_DATA_HOME/terraform/plugins` (`~/.local/share`) and each `$XDG_DATA_DIRS` entry
   (`/usr/local/share`, `/usr/share`) + `/terraform/plugins`;
3. a mirror elsewhere on this machine: `TF_PLUGIN_CACHE_DIR`, then a few levels under `/opt`,
   `/srv`, `/usr/local`, `/usr/share`, `/var/lib`, `/var/cache`.

With a provider found, terraform runs with a throwaway CLI config written to a temporary
directory (never `$HOME`): `provider_installation` with that `filesystem_mirror` and `direct`
excluded. Without one, terraform runs as usual, so on a laptop with internet the registry
serves the provider. Make targets and tests both go through here.

    python -m buildtools.terraform where              which provider, found where
    python -m buildtools.terraform validate [DIR]     init -backend=false + validate, on a copy
    python -m buildtools.terraform [--bin TF] run ARGS...   terraform ARGS with that config
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from buildtools.errors import UNAVAILABLE, BuildError

ROOT = Path(__file__).resolve().parent.parent
TERRAFORM_DIR = ROOT / "terraform"
PROVIDER = "registry.terraform.io/hashicorp/aws"
# Places a mirror is looked for when neither TF_PROVIDER_MIRROR nor Terraform's own plugin
# directories hold one, searched this many directory levels deep.
MACHINE_ROOTS = ("/opt", "/srv", "/usr/local", "/usr/share", "/var/lib", "/var/cache")
MACHINE_DEPTH = 3
_VERSION = re.compile(r"^\d+(\.\d+)*$")
_PACKED = re.compile(r"^terraform-provider-aws_(\d+(?:\.\d+)*)_([a-z0-9]+_[a-z0-9]+)\.zip$")


@dataclass(frozen=True)
class Mirror:
    """A filesystem mirror holding a usable hashicorp/aws provider."""

    path: Path
    version: str
    source: str  # which step of the search found it

    def describe(self) -> str:
        return f"hashicorp/aws {self.version} from {self.path} ({self.source})"


def os_arch() -> str:
    """Terraform's name of this platform, e.g. linux_amd64."""
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine, machine
    )
    system = {"win32": "windows"}.get(sys.platform, sys.platform)
    return f"{system}_{arch}"


def required_versions(terraform_dir: Path = TERRAFORM_DIR) -> str:
    """The root module's hashicorp/aws version constraint, e.g. '>= 5.100, < 7.0'."""
    try:
        text = (terraform_dir / "versions.tf").read_text()
    except OSError as exc:
        raise BuildError(f"cannot read the provider constraint: {exc}") from None
    match = re.search(r'source\s*=\s*"hashicorp/aws"\s*\n\s*version\s*=\s*"([^"]+)"', text)
    if match is None:
        raise BuildError(f"{terraform_dir / 'versions.tf'} constrains no hashicorp/aws version")
    return match.group(1)


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def satisfies(version: str, constraint: str) -> bool:
    """Whether `version` meets a Terraform version constraint (>=, >, <=, <, =, !=, ~>)."""
    have = _numbers(version)
    for clause in filter(None, (c.strip() for c in constraint.split(","))):
        match = re.fullmatch(r"(>=|<=|!=|~>|>|<|=)?\s*(\d+(?:\.\d+)*)", clause)
        if match is None:
            raise BuildError(f"unsupported version constraint {clause!r}")
        operator, wanted = match.group(1) or "=", _numbers(match.group(2))
        width = max(len(have), len(wanted))
        padded, bound = have + (0,) * (width - len(have)), wanted + (0,) * (width - len(wanted))
        if operator == "~>":
            upper = (*wanted[:-2], wanted[-2] + 1) if len(wanted) > 1 else (wanted[0] + 1,)
            ok = bound <= padded and padded[: len(upper)] < upper
        else:
            ok = {
                ">=": padded >= bound,
                "<=": padded <= bound,
                ">": padded > bound,
                "<": padded < bound,
                "=": padded == bound,
                "!=": padded != bound,
            }[operator]
        if not ok:
            return False
    return True


def versions_in(mirror: Path, platform_dir: str) -> list[str]:
    """Provider versions `mirror` holds for this platform, unpacked or packed (zip) layout."""
    provider = mirror / PROVIDER
    found = set()
    if provider.is_dir():
        for entry in provider.iterdir():
            if entry.is_dir() and _VERSION.match(entry.name):
                binaries = (entry / platform_dir).glob("terraform-provider-aws*")
                if any(b.is_file() for b in binaries):
                    found.add(entry.name)
            packed = _PACKED.match(entry.name)
            if packed and packed.group(2) == platform_dir:
                found.add(packed.group(1))
    return sorted(found, key=_numbers)


def _best(mirror: Path, constraint: str, platform_dir: str, source: str) -> Mirror | None:
    usable = [v for v in versions_in(mirror, platform_dir) if satisfies(v, constraint)]
    return Mirror(mirror, usable[-1], source) if usable else None


def terraform_plugin_dirs(env: Mapping[str, str], home: Path, cwd: Path) -> list[Path]:
    """The directories Terraform searches as implied local mirrors (Unix)."""
    data_home = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    data_dirs = [
        Path(d) for d in (env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":") if d
    ]
    return [
        cwd / "terraform.d" / "plugins",
        home / ".terraform.d" / "plugins",
        data_home / "terraform" / "plugins",
        *(d / "terraform" / "plugins" for d in data_dirs),
    ]


def machine_mirrors(env: Mapping[str, str], roots: Sequence[str] = MACHINE_ROOTS) -> Iterator[Path]:
    """Directories holding a registry.terraform.io folder: the plugin cache, then `roots`."""
    if env.get("TF_PLUGIN_CACHE_DIR"):
        yield Path(env["TF_PLUGIN_CACHE_DIR"])
    for root in roots:
        for depth in range(MACHINE_DEPTH + 1):
            pattern = "/".join(["*"] * depth + ["registry.terraform.io"])
            for found in sorted(Path(root).glob(pattern)):
                yield found.parent


def find_mirror(
    env: Mapping[str, str] | None = None,
    *,
    home: Path | None = None,
    cwd: Path = TERRAFORM_DIR,
    constraint: str | None = None,
    roots: Sequence[str] = MACHINE_ROOTS,
) -> Mirror | None:
    """The first mirror with a provider meeting the root's constraint, or None (use the registry).

    A TF_PROVIDER_MIRROR without such a provider is an error, not a fallback: it was asked for.
    """
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or Path.home()) if home is None else home
    constraint = constraint or required_versions()
    platform_dir = os_arch()
    explicit = env.get("TF_PROVIDER_MIRROR")
    if explicit:
        mirror = _best(Path(explicit), constraint, platform_dir, "TF_PROVIDER_MIRROR")
        if mirror is None:
            raise BuildError(
                f"TF_PROVIDER_MIRROR={explicit} holds no {PROVIDER} for {platform_dir} "
                f"matching {constraint!r} (expected {PROVIDER}/<version>/{platform_dir}/)",
                UNAVAILABLE,
            )
        return mirror
    for directory in terraform_plugin_dirs(env, home, cwd):
        mirror = _best(directory, constraint, platform_dir, "a Terraform plugin directory")
        if mirror:
            return mirror
    for directory in machine_mirrors(env, roots):
        mirror = _best(directory, constraint, platform_dir, "a mirror found on this machine")
        if mirror:
            return mirror
    return None


def link_cache(cache: Path, mirror: Mirror) -> bool:
    """Make `cache` a plugin cache holding only a link to the mirror's (unpacked) provider, so
    `terraform init` links it into .terraform instead of copying 700 MB; False for a packed
    (zip) mirror, which Terraform must unpack anyway."""
    source = mirror.path / PROVIDER / mirror.version / os_arch()
    if not source.is_dir():
        return False
    link = cache / PROVIDER / mirror.version / os_arch()
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(source, target_is_directory=True)
    return True


def cli_config(mirror: Mirror, cache: Path | None = None) -> str:
    """A CLI config installing hashicorp/aws from `mirror` only, and nothing from the internet."""
    return (
        "# Written by buildtools/terraform.py for one run: hashicorp/aws from this mirror only.\n"
        "disable_checkpoint = true\n"
        + (f'plugin_cache_dir = "{cache}"\n' if cache else "")
        + "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror.path}"\n'
        f'    include = ["{PROVIDER}"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["registry.terraform.io/*/*"]\n'
        "  }\n"
        "}\n"
    )


def environment(
    directory: Path, base: Mapping[str, str] | None = None, data_dir: Path | None = None
) -> dict[str, str]:
    """`base` (os.environ) set up to run terraform: the mirror's CLI config written into
    `directory` when there is a mirror; never a call home to HashiCorp's checkpoint service.

    The plugin cache of links lives in `data_dir` (the .terraform directory it serves, which
    must outlive the command) or else in `directory`."""
    env = dict(os.environ if base is None else base)
    env["CHECKPOINT_DISABLE"] = "1"
    mirror = find_mirror(env)
    if mirror is not None:
        cache = (data_dir or directory) / "plugin-cache"
        config = directory / "terraform.tfrc"
        config.write_text(cli_config(mirror, cache if link_cache(cache, mirror) else None))
        env["TF_CLI_CONFIG_FILE"] = str(config)
    elif env.get("TF_CLI_CONFIG_FILE") and not Path(env["TF_CLI_CONFIG_FILE"]).exists():
        # A config that does not exist only earns a warning on every command.
        del env["TF_CLI_CONFIG_FILE"]
    return env


@contextlib.contextmanager
def scratch_environment(
    base: Mapping[str, str] | None = None, data_dir: Path | None = None
) -> Iterator[dict[str, str]]:
    """environment() with its CLI config in a temporary directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="terraform-cli-") as directory:
        yield environment(Path(directory), base, data_dir)


def data_dir_of(args: Sequence[str], env: Mapping[str, str]) -> Path:
    """The .terraform directory a terraform command line uses (TF_DATA_DIR, -chdir)."""
    chdir = next((a.removeprefix("-chdir=") for a in args if a.startswith("-chdir=")), ".")
    return Path(chdir) / env.get("TF_DATA_DIR", ".terraform")


def run(terraform: str, args: Sequence[str]) -> int:
    """Run `terraform ARGS` with the mirror's CLI config; its exit code."""
    data_dir = data_dir_of(args, os.environ)
    with scratch_environment(data_dir=data_dir if data_dir.parent.is_dir() else None) as env:
        return subprocess.run([terraform, *args], env=env, check=False).returncode


def validate(terraform: str, terraform_dir: Path = TERRAFORM_DIR) -> int:
    """`terraform init -backend=false` and `terraform validate` of a copy of `terraform_dir`,
    so neither its .terraform/ nor a lock file is touched."""
    with tempfile.TemporaryDirectory(prefix="terraform-validate-") as scratch:
        copy = Path(scratch) / terraform_dir.name
        shutil.copytree(
            terraform_dir,
            copy,
            ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*"),
        )
        with scratch_environment() as env:
            init = subprocess.run(
                [
                    terraform,
                    f"-chdir={copy}",
                    "init",
                    "-backend=false",
                    "-input=false",
                    "-no-color",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if init.returncode != 0:
                sys.stderr.write(init.stdout + init.stderr)
                return init.returncode
            command = [terraform, f"-chdir={copy}", "validate", "-no-color"]
            return subprocess.run(command, env=env, check=False).returncode


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m buildtools.terraform",
        description="Run terraform with a local hashicorp/aws provider mirror when there is one.",
    )
    parser.add_argument("--bin", default="terraform", help="terraform executable")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("where", help="say which provider terraform will use, found where")
    check = commands.add_parser("validate", help="init -backend=false + validate, on a copy")
    check.add_argument("directory", nargs="?", type=Path, default=TERRAFORM_DIR)
    commands.add_parser(
        "run", help="terraform ARGS (everything after run) with the mirror's config"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; errors are one line on stderr."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after `run` belongs to terraform, flags included.
    split = argv.index("run") + 1 if "run" in argv else len(argv)
    args = _parser().parse_args(argv[:split])
    passthrough = argv[split:]
    try:
        if args.command == "where":
            mirror = find_mirror()
            print(mirror.describe() if mirror else "no local provider: terraform uses the registry")
            return 0
        if shutil.which(args.bin) is None:
            print(f"terraform is not installed ({args.bin} not on PATH)", file=sys.stderr)
            return UNAVAILABLE
        if args.command == "validate":
            return validate(args.bin, args.directory.resolve())
        return run(args.bin, passthrough[1:] if passthrough[:1] == ["--"] else passthrough)
    except BuildError as exc:
        print(f"terraform: error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
