"""buildtools/terraform.py: where a local hashicorp/aws provider is found, and the CLI config
that makes terraform install it from there and download nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildtools import terraform as tf
from buildtools.errors import BuildError

CONSTRAINT = ">= 5.100, < 7.0"


def _mirror(root: Path, *versions: str, packed: bool = False) -> Path:
    """A filesystem mirror at `root` holding the given provider versions for this platform."""
    provider = root / tf.PROVIDER
    for version in versions:
        if packed:
            provider.mkdir(parents=True, exist_ok=True)
            (provider / f"terraform-provider-aws_{version}_{tf.os_arch()}.zip").write_bytes(b"PK")
        else:
            platform = provider / version / tf.os_arch()
            platform.mkdir(parents=True)
            (platform / f"terraform-provider-aws_v{version}_x5").write_text("binary")
    return root


def _find(env: dict[str, str], home: Path, tmp_path: Path, roots: tuple[str, ...] = ()):
    return tf.find_mirror(
        {"HOME": str(home), **env},
        home=home,
        cwd=tmp_path / "cwd",
        constraint=CONSTRAINT,
        roots=roots,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def test_tf_provider_mirror_comes_first(tmp_path, home):
    explicit = _mirror(tmp_path / "explicit", "5.100.0")
    _mirror(home / ".terraform.d" / "plugins", "6.2.0")

    found = _find({"TF_PROVIDER_MIRROR": str(explicit)}, home, tmp_path)

    assert (found.path, found.version, found.source) == (explicit, "5.100.0", "TF_PROVIDER_MIRROR")


def test_a_tf_provider_mirror_without_a_usable_provider_is_an_error_not_a_fallback(tmp_path, home):
    empty = tmp_path / "empty"
    empty.mkdir()
    _mirror(home / ".terraform.d" / "plugins", "5.100.0")

    with pytest.raises(BuildError, match=r"TF_PROVIDER_MIRROR=.*empty holds no .*hashicorp/aws"):
        _find({"TF_PROVIDER_MIRROR": str(empty)}, home, tmp_path)


def test_then_the_plugin_directories_terraform_itself_searches_in_its_order(tmp_path, home):
    data_dirs = f"{tmp_path / 'share-a'}:{tmp_path / 'share-b'}"
    _mirror(tmp_path / "share-b" / "terraform" / "plugins", "5.100.0")
    env = {"XDG_DATA_DIRS": data_dirs, "XDG_DATA_HOME": str(tmp_path / "data-home")}

    assert _find(env, home, tmp_path).path == tmp_path / "share-b" / "terraform" / "plugins"

    _mirror(tmp_path / "data-home" / "terraform" / "plugins", "5.100.0")
    assert _find(env, home, tmp_path).path == tmp_path / "data-home" / "terraform" / "plugins"

    _mirror(home / ".terraform.d" / "plugins", "5.100.0")
    found = _find(env, home, tmp_path)
    assert (found.path, found.source) == (
        home / ".terraform.d" / "plugins",
        "a Terraform plugin directory",
    )


def test_without_xdg_variables_the_default_data_directories_are_searched(tmp_path, home):
    dirs = tf.terraform_plugin_dirs({}, home, tmp_path)

    assert dirs == [
        tmp_path / "terraform.d" / "plugins",
        home / ".terraform.d" / "plugins",
        home / ".local" / "share" / "terraform" / "plugins",
        Path("/usr/local/share/terraform/plugins"),
        Path("/usr/share/terraform/plugins"),
    ]


def test_last_a_mirror_found_on_the_machine(tmp_path, home):
    machine = tmp_path / "opt"
    _mirror(machine / "tf-plugins", "5.100.0")

    found = _find({}, home, tmp_path, roots=(str(machine),))

    assert (found.path, found.source) == (machine / "tf-plugins", "a mirror found on this machine")


def test_no_provider_anywhere_means_the_registry(tmp_path, home):
    assert _find({}, home, tmp_path, roots=(str(tmp_path / "nothing"),)) is None


def test_the_newest_version_the_constraint_allows_is_chosen(tmp_path, home):
    mirror = _mirror(tmp_path / "m", "4.67.0", "5.100.0", "6.25.0", "7.1.0")

    assert _find({"TF_PROVIDER_MIRROR": str(mirror)}, home, tmp_path).version == "6.25.0"


def test_a_mirror_with_only_versions_outside_the_constraint_is_passed_over(tmp_path, home):
    _mirror(home / ".terraform.d" / "plugins", "4.67.0")
    machine = _mirror(tmp_path / "opt" / "tf", "5.100.0")

    assert _find({}, home, tmp_path, roots=(str(tmp_path / "opt"),)).path == machine


def test_the_packed_layout_of_terraform_providers_mirror_counts(tmp_path, home):
    mirror = _mirror(tmp_path / "m", "6.0.0", packed=True)

    assert _find({"TF_PROVIDER_MIRROR": str(mirror)}, home, tmp_path).version == "6.0.0"


def test_the_constraint_is_read_from_the_root_module():
    assert tf.required_versions() == CONSTRAINT


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("5.100.0", CONSTRAINT, True),
        ("6.25.0", CONSTRAINT, True),
        ("5.99.1", CONSTRAINT, False),
        ("7.0.0", CONSTRAINT, False),
        ("6.3.0", "~> 6.0", True),
        ("7.0.0", "~> 6.0", False),
        ("5.100.2", "~> 5.100.0", True),
        ("5.101.0", "~> 5.100.0", False),
        ("5.100.0", "= 5.100.0", True),
        ("5.100.0", "!= 5.100.0", False),
    ],
)
def test_version_constraints_read_as_terraform_reads_them(version, constraint, expected):
    assert tf.satisfies(version, constraint) is expected


def test_the_cli_config_installs_from_the_mirror_and_excludes_direct_downloads(tmp_path):
    mirror = tf.Mirror(tmp_path / "m", "5.100.0", "test")

    config = tf.cli_config(mirror)

    assert "provider_installation {" in config
    assert f'path    = "{tmp_path / "m"}"' in config
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in config
    assert 'direct {\n    exclude = ["registry.terraform.io/*/*"]' in config
    assert "disable_checkpoint = true" in config


def test_the_config_is_written_where_asked_never_in_home(tmp_path, home, monkeypatch):
    mirror = _mirror(tmp_path / "m", "5.100.0")
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(mirror))
    monkeypatch.setenv("HOME", str(home))
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    env = tf.environment(scratch)

    assert env["TF_CLI_CONFIG_FILE"] == str(scratch / "terraform.tfrc")
    assert env["CHECKPOINT_DISABLE"] == "1"
    assert list(home.iterdir()) == []


def test_the_plugin_cache_only_links_the_mirrors_provider_so_init_copies_nothing(tmp_path):
    mirror = tf.Mirror(_mirror(tmp_path / "m", "5.100.0"), "5.100.0", "test")
    cache = tmp_path / "data" / "plugin-cache"

    assert tf.link_cache(cache, mirror)

    link = cache / tf.PROVIDER / "5.100.0" / tf.os_arch()
    assert link.is_symlink()
    assert link.resolve() == (mirror.path / tf.PROVIDER / "5.100.0" / tf.os_arch()).resolve()
    assert f'plugin_cache_dir = "{cache}"' in tf.cli_config(mirror, cache)


def test_without_a_mirror_a_missing_cli_config_is_not_passed_on(tmp_path, home, monkeypatch):
    monkeypatch.delenv("TF_PROVIDER_MIRROR", raising=False)
    monkeypatch.setattr(tf, "find_mirror", lambda env: None)
    base = {"HOME": str(home), "TF_CLI_CONFIG_FILE": str(tmp_path / "absent.tfrc")}

    env = tf.environment(tmp_path, base)

    assert "TF_CLI_CONFIG_FILE" not in env


def test_the_data_directory_of_a_command_follows_chdir_and_tf_data_dir():
    assert tf.data_dir_of(["-chdir=terraform", "plan"], {}) == Path("terraform/.terraform")
    assert tf.data_dir_of(["plan"], {"TF_DATA_DIR": "/tmp/d"}) == Path("/tmp/d")


def test_where_names_the_provider_it_would_use(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(_mirror(tmp_path / "m", "5.100.0")))

    assert tf.main(["where"]) == 0

    assert capsys.readouterr().out.strip() == (
        f"hashicorp/aws 5.100.0 from {tmp_path / 'm'} (TF_PROVIDER_MIRROR)"
    )


def test_a_missing_terraform_is_one_line_and_exit_2(capsys):
    assert tf.main(["--bin", "/nonexistent/terraform", "validate"]) == 2

    assert (
        capsys.readouterr().err
        == "terraform is not installed (/nonexistent/terraform not on PATH)\n"
    )
