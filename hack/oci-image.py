#!/usr/bin/env python3
"""Writes an OCI image layout tarball from folders, without a container engine.

  oci-image.py --out image.tar --ref localhost/medops/x:0.1.0 --layer DIR|LAYER.tar [--layer ...]
               [--entrypoint JSON] [--cmd JSON] [--env K=V ...] [--user 65532:65532]
               [--workdir /app] [--expose 8080 ...] [--label k=v ...]
      prints the image's manifest digest.
  oci-image.py --pack DIR --out layer.tar
      packs one folder into a layer tar (to share between images), prints its diff_id.

The output must be a regular file: each layer is streamed into it behind a placeholder header,
which is written back once the layer's size and digest are known (no temporary copy).
Each layer is an uncompressed tar: `ctr images import` then unpacks it without a gunzip pass.
Layers are reproducible (entries in name order, one fixed mtime, numeric owners as on disk,
no user or group names), so the same folders give the same digests and a cached image or a
shared base layer is recognised by containerd as the same content.
"""
import argparse
import hashlib
import json
import os
import shutil
import stat
import sys
import tarfile

BLOCK = 512
MTIME = 0
COPY_BUFFER = 1 << 20
LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar"
# Extended attributes worth carrying: file capabilities and user data. SELinux labels, ACLs and
# overlayfs' trusted.* belong to the build machine's filesystem, not to the image.
KEPT_XATTRS = ("security.capability",)


class HashingWriter:
    """A write-only file that hashes and counts what passes through it to the file below."""

    def __init__(self, target):
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.sha256.update(data)
        self.size += len(data)
        return self.target.write(data)

    def tell(self):  # tarfile asks where it is; only the bytes written through here count
        return self.size

    def digest(self):
        return "sha256:" + self.sha256.hexdigest()


def kept_xattrs(path):
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return {}
    headers = {}
    for name in sorted(names):
        if name.startswith("user.") or name in KEPT_XATTRS:
            value = os.getxattr(path, name, follow_symlinks=False)
            headers["SCHILY.xattr." + name] = value.decode("utf-8", "surrogateescape")
    return headers


def entry_info(path, name, st, hardlinks):
    """The tar header of one file system entry, or None for what a layer cannot hold (sockets)."""
    info = tarfile.TarInfo(name)
    info.mode = stat.S_IMODE(st.st_mode)
    info.uid, info.gid = st.st_uid, st.st_gid
    info.uname = info.gname = ""
    info.mtime = MTIME
    info.pax_headers = kept_xattrs(path)
    if stat.S_ISREG(st.st_mode):
        if st.st_nlink > 1:
            first = hardlinks.setdefault((st.st_dev, st.st_ino), name)
            if first != name:
                info.type, info.linkname = tarfile.LNKTYPE, first
                return info
        info.size = st.st_size
    elif stat.S_ISDIR(st.st_mode):
        info.type = tarfile.DIRTYPE
    elif stat.S_ISLNK(st.st_mode):
        info.type, info.linkname = tarfile.SYMTYPE, os.readlink(path)
    elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        info.type = tarfile.CHRTYPE if stat.S_ISCHR(st.st_mode) else tarfile.BLKTYPE
        info.devmajor, info.devminor = os.major(st.st_rdev), os.minor(st.st_rdev)
    elif stat.S_ISFIFO(st.st_mode):
        info.type = tarfile.FIFOTYPE
    else:
        return None
    return info


def walk_sorted(root, prefix=""):
    """Yields (path, name in the layer, stat) depth first, each folder's entries in name order."""
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        name = prefix + entry.name
        st = entry.stat(follow_symlinks=False)
        yield entry.path, name, st
        if stat.S_ISDIR(st.st_mode):
            yield from walk_sorted(entry.path, name + "/")


def pack_folder(folder, out):
    """Writes the folder's contents as a layer tar to the file-like out, streaming each file."""
    hardlinks = {}
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, name, st in walk_sorted(folder):
            info = entry_info(path, name, st, hardlinks)
            if info is None:
                print(f"oci-image: skipping {path}: not a file, folder, link, device or fifo", file=sys.stderr)
            elif info.isreg():
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)


def write_layer(source, out):
    """A folder is packed; a tar made earlier (by --pack) is copied as it is."""
    if os.path.isdir(source):
        pack_folder(source, out)
    else:
        with open(source, "rb") as f:
            shutil.copyfileobj(f, out, COPY_BUFFER)


def member_header(name, size, kind=tarfile.REGTYPE):
    info = tarfile.TarInfo(name)
    info.size, info.type, info.mtime = size, kind, MTIME
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    # GNU format writes sizes past 8 GiB in base 256 within the one block; the names here are short.
    header = info.tobuf(format=tarfile.GNU_FORMAT)
    assert len(header) == BLOCK, name
    return header


def pad(out, size):
    out.write(b"\0" * (-size % BLOCK))


def add_bytes(out, name, data):
    out.write(member_header(name, len(data)))
    out.write(data)
    pad(out, len(data))


def add_streamed_blob(out, write):
    """Adds a blob whose size and digest are known only once written: the blob goes out behind a
    placeholder header, which is then overwritten. Returns (digest, size)."""
    start = out.tell()
    out.write(b"\0" * BLOCK)
    blob = HashingWriter(out)
    write(blob)
    pad(out, blob.size)
    end = out.tell()
    out.seek(start)
    out.write(member_header("blobs/sha256/" + blob.sha256.hexdigest(), blob.size))
    out.seek(end)
    return blob.digest(), blob.size


def descriptor(media_type, data):
    return {"mediaType": media_type, "digest": "sha256:" + hashlib.sha256(data).hexdigest(), "size": len(data)}


def canonical(document):
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def key_values(pairs, flag):
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            sys.exit(f"oci-image: {flag} {pair!r}: expected KEY=VALUE")
        result[key] = value
    return result


def image_config(args, diff_ids):
    config = {}
    if args.env:
        config["Env"] = args.env
    for key, value in (("Entrypoint", args.entrypoint), ("Cmd", args.cmd)):
        if value is not None:
            config[key] = json.loads(value)
            if not isinstance(config[key], list):
                sys.exit(f"oci-image: --{key.lower()} must be a JSON array")
    if args.user:
        config["User"] = args.user
    if args.workdir:
        config["WorkingDir"] = args.workdir
    if args.expose:
        config["ExposedPorts"] = {(p if "/" in p else p + "/tcp"): {} for p in args.expose}
    if args.label:
        config["Labels"] = key_values(args.label, "--label")
    return {
        "architecture": "amd64",
        "os": "linux",
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }


def write_image(args):
    key_values(args.env, "--env")
    tag = args.ref.rpartition(":")[2] if ":" in args.ref.rpartition("/")[2] else "latest"
    with open(args.out, "wb") as out:
        for folder in ("blobs/", "blobs/sha256/"):
            out.write(member_header(folder, 0, tarfile.DIRTYPE))
        layers = []
        for source in args.layer:
            digest, size = add_streamed_blob(out, lambda blob, s=source: write_layer(s, blob))
            layers.append({"mediaType": LAYER_MEDIA_TYPE, "digest": digest, "size": size})
        # Uncompressed layers: each layer's digest is its diff_id.
        config = canonical(image_config(args, [layer["digest"] for layer in layers]))
        config_desc = descriptor("application/vnd.oci.image.config.v1+json", config)
        manifest = canonical({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": config_desc,
            "layers": layers,
        })
        manifest_desc = descriptor("application/vnd.oci.image.manifest.v1+json", manifest)
        # ctr import names the image after io.containerd.image.name only; a full reference in
        # ref.name alone comes out with an "import-<date>" prefix.
        manifest_desc["annotations"] = {"io.containerd.image.name": args.ref, "org.opencontainers.image.ref.name": tag}
        manifest_desc["platform"] = {"architecture": "amd64", "os": "linux"}
        index = canonical({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [manifest_desc],
        })
        add_bytes(out, "blobs/sha256/" + config_desc["digest"][7:], config)
        add_bytes(out, "blobs/sha256/" + manifest_desc["digest"][7:], manifest)
        add_bytes(out, "index.json", index)
        add_bytes(out, "oci-layout", canonical({"imageLayoutVersion": "1.0.0"}))
        out.write(b"\0" * (2 * BLOCK))
    print(manifest_desc["digest"])


def pack_only(args):
    with open(args.out, "wb") as out:
        layer = HashingWriter(out)
        pack_folder(args.pack, layer)
    print(layer.digest())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="the tarball to write")
    parser.add_argument("--pack", metavar="DIR", help="write only a layer tar of DIR")
    parser.add_argument("--ref", help="full image reference, as containerd will name it")
    parser.add_argument("--layer", action="append", default=[], help="a folder, or a layer tar from --pack; bottom first")
    parser.add_argument("--entrypoint", help="JSON array")
    parser.add_argument("--cmd", help="JSON array")
    parser.add_argument("--env", action="append", default=[], metavar="K=V")
    parser.add_argument("--user")
    parser.add_argument("--workdir")
    parser.add_argument("--expose", action="append", default=[], metavar="PORT[/PROTO]")
    parser.add_argument("--label", action="append", default=[], metavar="K=V")
    args = parser.parse_args()
    if args.pack:
        if args.ref or args.layer:
            parser.error("--pack takes no --ref or --layer")
        pack_only(args)
    else:
        if not args.ref or not args.layer:
            parser.error("--ref and at least one --layer are required")
        for source in args.layer:
            if not os.path.exists(source):
                parser.error(f"--layer {source}: no such folder or file")
        write_image(args)


if __name__ == "__main__":
    main()
