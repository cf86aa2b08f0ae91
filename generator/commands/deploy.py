"""`timeline deploy`: build the site and publish it on the gh-pages branch (GitHub Pages from a branch)."""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
from pathlib import Path

import ghp_import

from generator import __version__
from generator.build.pipeline import BuildOptions, build
from generator.commands.build import add_base_url_argument, add_source_argument, check_base_url, check_source
from generator.content.load import load_content
from generator.content.validate import validate

WATCHED = ("content", "templates")  # what the published site is built from


class DeployError(Exception):
    """Why nothing was published, and what to do about it."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("deploy", help="build the site and push it to the gh-pages branch")
    add_source_argument(parser)
    add_base_url_argument(parser)
    parser.add_argument("--remote", default="origin", help="the git remote to push to (default: origin)")
    parser.add_argument("--branch", default="gh-pages", help="the branch GitHub Pages serves (default: gh-pages)")
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    source_dir = check_source(args, parser)
    check_base_url(args, parser)
    try:
        commit = check_repository(source_dir, args.remote)
        domain = validate(load_content(source_dir / "content")).config.domain
        report = build(BuildOptions(source_dir, source_dir / "site", args.base_url))
        for note in report.notes:
            print(f"Note: {note}.")
        publish(source_dir, source_dir / "site", commit, args.remote, args.branch, domain)
    except DeployError as error:
        print(f"timeline deploy: {error}", file=sys.stderr)
        return 1
    cname = f", CNAME {domain}" if domain else ""
    print(f"Published {report.events} events ({report.files} files{cname}) from commit {commit[:12]} "
          f"to {args.remote}/{args.branch}.")
    return 0


def check_repository(source_dir: Path, remote: str) -> str:
    """The commit being published; stops if the content differs from it or there is nowhere to push."""
    if _git(source_dir, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise DeployError(f"{source_dir.resolve()} is not in a git repository: deploy publishes a commit of "
                          "your content. Run 'git init', commit content/, and add a remote, or publish with the "
                          "GitHub Actions workflow instead.")
    if _git(source_dir, "remote", "get-url", remote).returncode != 0:
        raise DeployError(f"this repository has no remote '{remote}': add one with 'git remote add {remote} URL' "
                          "or name another with --remote")
    head = _git(source_dir, "rev-parse", "--verify", "HEAD")
    if head.returncode != 0:
        raise DeployError("this repository has no commit yet: commit content/ first, so the site matches a commit")
    changed = _git(source_dir, "status", "--porcelain", "--untracked-files=all", "--", *WATCHED).stdout.splitlines()
    if changed:
        listed = "\n".join(f"  {line}" for line in changed[:20])
        more = f"\n  … and {len(changed) - 20} more" if len(changed) > 20 else ""
        raise DeployError(f"uncommitted changes in {' or '.join(f'{folder}/' for folder in WATCHED)} (nothing was published):\n{listed}{more}\n"
                          "Commit them (or stash them) first, so the published site matches a commit.")
    return head.stdout.strip()


def publish(source_dir: Path, site_dir: Path, commit: str, remote: str, branch: str, domain: str | None) -> None:
    """Commit the built site as the new tip of `branch` (with .nojekyll, and CNAME for a domain) and push it."""
    # Start from the remote's branch when it has one, so the push is a fast-forward from any clone.
    _git(source_dir, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    message = f"Deploy {commit[:12]} with timeline {__version__}"
    # ghp-import works on the repository of the current folder.
    with contextlib.chdir(source_dir):
        try:
            ghp_import.ghp_import(str(site_dir.resolve()), mesg=message, remote=remote, branch=branch,
                                  push=True, nojekyll=True, cname=domain)
        except (ghp_import.GhpError, subprocess.CalledProcessError) as error:
            raise DeployError(f"the site was built but could not be pushed to {remote}/{branch}: {error}") from None


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)
