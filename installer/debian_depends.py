"""The Debian packages a one-folder bundle needs, from what its files actually link to.

    python3 installer/debian_depends.py BUNDLE_DIR [--explain]

Reads every ELF file in BUNDLE_DIR (executables, libraries, Python extensions, Qt
plugins), takes the shared libraries each one needs (DT_NEEDED) that the bundle does not
carry itself, finds each on this machine as the dynamic linker would (``ldconfig -p``),
asks dpkg which package installed it (``dpkg -S``), and takes the version that package's
``shlibs`` file asks of users of that library (as dpkg-shlibdeps does when a package has
no symbols file). Prints the Depends value, e.g. ``libc6 (>= 2.36), libcups2 (>= 2.3~),
...``; ``--explain`` prints, per package, which of the bundle's files need which library.

It fails (exit 1, naming the file and the library) when a library is needed but not
found on this machine, or found but not installed by any package: either would be a
missing dependency on a clerk's workstation. Run it where the bundle was built (the build
machine has the libraries the bundle was linked against; scripts/setup installs them).
"""

from __future__ import annotations

import argparse
import os
import re
import struct
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

DT_NEEDED = 1


class NotElf(Exception):
    pass


def needed_libraries(path: Path) -> list[str]:
    """DT_NEEDED entries of an ELF file (32 or 64 bit, either byte order)."""
    with path.open("rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise NotElf(path)
    is64 = data[4] == 2
    order = "<" if data[5] == 1 else ">"
    if is64:
        (e_phoff,) = struct.unpack_from(order + "Q", data, 0x20)
        e_phentsize, e_phnum = struct.unpack_from(order + "HH", data, 0x36)
    else:
        (e_phoff,) = struct.unpack_from(order + "I", data, 0x1C)
        e_phentsize, e_phnum = struct.unpack_from(order + "HH", data, 0x2A)
    segments = []  # (type, offset, vaddr, filesz)
    for i in range(e_phnum):
        at = e_phoff + i * e_phentsize
        if is64:
            p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(
                order + "IIQQQQ", data, at)
        else:
            p_type, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(
                order + "IIIII", data, at)
        segments.append((p_type, p_offset, p_vaddr, p_filesz))

    def file_offset(vaddr: int) -> int:
        for p_type, p_offset, p_vaddr, p_filesz in segments:
            if p_type == 1 and p_vaddr <= vaddr < p_vaddr + p_filesz:  # PT_LOAD
                return vaddr - p_vaddr + p_offset
        raise ValueError(f"{path}: address {vaddr:#x} is in no loaded segment")

    dynamic = [s for s in segments if s[0] == 2]  # PT_DYNAMIC
    if not dynamic:
        return []  # statically linked
    _t, offset, _v, size = dynamic[0]
    entry = struct.Struct(order + ("qQ" if is64 else "iI"))
    needed_offsets, strtab = [], None
    for at in range(offset, offset + size, entry.size):
        tag, value = entry.unpack_from(data, at)
        if tag == 0:
            break
        if tag == DT_NEEDED:
            needed_offsets.append(value)
        elif tag == 5:  # DT_STRTAB
            strtab = file_offset(value)
    if strtab is None:
        return []
    names = []
    for off in needed_offsets:
        end = data.index(b"\0", strtab + off)
        names.append(data[strtab + off:end].decode())
    return names


def elf_files(bundle: Path) -> list[Path]:
    out = []
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as f:
            if f.read(4) == b"\x7fELF":
                out.append(path)
    return out


def system_libraries() -> dict[str, str]:
    """soname -> path, for this machine's architecture, as ``ldconfig -p`` lists them."""
    arch = {"x86_64": "x86-64", "aarch64": "AArch64"}.get(os.uname().machine, "")
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True,
                             check=True).stdout
    found: dict[str, str] = {}
    for line in listing.splitlines()[1:]:
        m = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if m and (not arch or arch in m.group(2) or "," not in m.group(2)):
            found.setdefault(m.group(1), m.group(3))
    return found


def owning_package(path: str) -> str | None:
    """The package that installed ``path`` (with or without the /usr merge)."""
    real = os.path.realpath(path)
    candidates = [path, real]
    for p in (path, real):
        if p.startswith("/usr/"):
            candidates.append(p[4:])
        else:
            candidates.append("/usr" + p)
    for p in dict.fromkeys(candidates):
        r = subprocess.run(["dpkg-query", "-S", p], capture_output=True, text=True)
        if r.returncode == 0:
            first = r.stdout.splitlines()[0]
            if first.startswith("diversion "):
                continue
            return first.split(":")[0].split(",")[0].strip()
    return None


def shlibs_dependency(package: str, soname: str) -> str:
    """What the package's shlibs file asks of a user of ``soname`` (else the bare name)."""
    m = re.match(r"(.+)\.so\.(.+)$", soname) or re.match(r"(.+)-([^-]+)\.so$", soname)
    info = Path("/var/lib/dpkg/info")
    for f in (info / f"{package}.shlibs", *info.glob(f"{package}:*.shlibs")):
        if not f.is_file() or not m:
            continue
        for line in f.read_text().splitlines():
            fields = line.split(None, 2)
            if fields and fields[0].endswith(":"):  # a package type such as "udeb:"
                continue
            if len(fields) == 3 and (fields[0], fields[1]) == (m.group(1), m.group(2)):
                return fields[2].strip()
    return package


def merge(dependencies: list[str]) -> list[str]:
    """One entry per package, the highest version asked for (plain names sorted)."""
    from itertools import groupby

    def key(dep: str) -> str:
        return dep.split()[0]

    def version(dep: str) -> str:
        m = re.search(r"\(>= ([^)]+)\)", dep)
        return m.group(1) if m else ""

    out = []
    for _name, group in groupby(sorted(set(dependencies), key=key), key=key):
        deps = list(group)
        best = deps[0]
        for dep in deps[1:]:
            a, b = version(best), version(dep)
            if b and (not a or subprocess.run(["dpkg", "--compare-versions", b, "gt", a]).returncode == 0):
                best = dep
        out.append(best)
    return out


def depends(bundle: Path) -> tuple[list[str], dict[str, set[str]], list[str]]:
    files = elf_files(bundle)
    inside = {p.name for p in bundle.rglob("*")}
    libraries = system_libraries()
    deps: list[str] = []
    why: dict[str, set[str]] = defaultdict(set)
    problems: list[str] = []
    package_of: dict[str, str | None] = {}
    for f in files:
        try:
            names = needed_libraries(f)
        except NotElf:
            continue
        for soname in names:
            if soname in inside:
                continue
            path = libraries.get(soname)
            if path is None:
                problems.append(f"{f.relative_to(bundle)} needs {soname}: not found on this machine")
                continue
            if soname not in package_of:
                package_of[soname] = owning_package(path)
            package = package_of[soname]
            if package is None:
                problems.append(f"{f.relative_to(bundle)} needs {soname} ({path}): "
                                "installed by no package")
                continue
            dep = shlibs_dependency(package, soname)
            deps.append(dep)
            why[dep.split()[0]].add(f"{soname} <- {f.relative_to(bundle)}")
    return merge(deps), why, problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--explain", action="store_true", help="which files need each package")
    args = ap.parse_args(argv)
    deps, why, problems = depends(args.bundle)
    for p in problems:
        print(f"debian_depends: {p}", file=sys.stderr)
    if problems:
        return 1
    if args.explain:
        for dep in deps:
            needs = sorted(why[dep.split()[0]])
            print(f"{dep}: {len(needs)} use(s), e.g. {'; '.join(needs[:3])}")
    else:
        print(", ".join(deps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
