# SPDX-License-Identifier: LGPL-2.1-only
"""famfsctl: famfs file systems over CXL dynamic capacity, from Python.

A ctypes binding of libfamfsctl (libfamfsctl.so.1), standard library only:

    import famfsctl
    with famfsctl.Context() as ctx:              # the host's fabric (famfsctl.conf)
        with ctx.open_set("demo") as fs:         # or ctx.open_members([...])
            fs.listdir("/")                      # ['data', 'README']
            fs.stat("/README")                   # Stat(size=..., is_dir=False, ...)
            fs.read("/README")                   # bytes
            with fs.map("/data/weights") as m:   # the direct map, zero-copy
                a = numpy.frombuffer(m.buffer, dtype=numpy.float16)
                m.invalidate()                   # before reading another host's writes

A map's memory stays mapped while any buffer taken from it (m.buffer, a
numpy array over it) is alive; close() gives up the map's own view and the
mapping goes away with the last of them. Errors raise OSError with the errno
the library returned; the library logs why on standard error
(FAMFSCTL_LOG=info|debug for more). $FAMFSCTL_LIBRARY names another
libfamfsctl (a build tree's); see famfsctl(1).
"""
import ctypes
import errno as _errno
import json
import os
import weakref
from collections import namedtuple

__all__ = ["Context", "Famfs", "Map", "Stat", "library", "map_available",
           "MAP_WRITE", "MAP_FORCE_WRITE"]

MAP_WRITE = 1 << 0        # read-write: only the master may
MAP_FORCE_WRITE = 1 << 1  # read-write even on a client: the caller takes the risk

Stat = namedtuple("Stat", "size is_dir mode uid gid")


class _Stat(ctypes.Structure):
    _fields_ = [("size", ctypes.c_uint64), ("is_dir", ctypes.c_bool),
                ("mode", ctypes.c_uint32), ("uid", ctypes.c_uint32),
                ("gid", ctypes.c_uint32)]


_DIR_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
                           ctypes.POINTER(_Stat))
_P = ctypes.c_void_p
_lib = None


def _proto(lib, name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)


def library():
    """The loaded libfamfsctl (ctypes.CDLL), loaded on first use."""
    global _lib
    if _lib is not None:
        return _lib
    lib = ctypes.CDLL(os.environ.get("FAMFSCTL_LIBRARY") or "libfamfsctl.so.1")
    c_int, c_uint, c_char_p, c_u64 = ctypes.c_int, ctypes.c_uint, ctypes.c_char_p, ctypes.c_uint64
    _proto(lib, "fc_new", c_int, ctypes.POINTER(_P))
    _proto(lib, "fc_unref", None, _P)
    _proto(lib, "fc_set_fabric", c_int, _P, c_char_p, c_uint)
    _proto(lib, "fc_famfs_open", c_int, _P, ctypes.POINTER(c_char_p), c_uint, _P,
           ctypes.POINTER(_P))
    _proto(lib, "fc_famfs_open_set", c_int, _P, c_char_p, _P, ctypes.POINTER(_P))
    _proto(lib, "fc_famfs_close", None, _P)
    _proto(lib, "fc_famfs_getattr", c_int, _P, c_char_p, ctypes.POINTER(_Stat))
    _proto(lib, "fc_famfs_readdir", c_int, _P, c_char_p, _DIR_FN, _P)
    _proto(lib, "fc_famfs_refresh", c_int, _P)
    _proto(lib, "fc_famfs_space", None, _P, ctypes.POINTER(c_u64), ctypes.POINTER(c_u64))
    _proto(lib, "fc_famfs_pread", ctypes.c_ssize_t, _P, c_char_p, _P, ctypes.c_size_t, c_u64)
    _proto(lib, "fc_stats_collect", c_int, _P, c_char_p, ctypes.c_ulong, ctypes.POINTER(_P))
    # json-c, which libfamfsctl links: its objects come back from fc_stats_collect
    _proto(lib, "json_object_to_json_string", c_char_p, _P)
    _proto(lib, "json_object_put", c_int, _P)
    if map_available(lib):
        _proto(lib, "fc_famfs_map", c_int, _P, c_char_p, c_uint, ctypes.POINTER(_P))
        _proto(lib, "fc_famfs_map_addr", _P, _P)
        _proto(lib, "fc_famfs_map_size", c_u64, _P)
        _proto(lib, "fc_famfs_unmap", None, _P)
        _proto(lib, "fc_flush", None, _P, ctypes.c_size_t)
        _proto(lib, "fc_invalidate", None, _P, ctypes.c_size_t)
    _lib = lib
    return lib


def map_available(lib=None):
    """Does this libfamfsctl have the direct map (fc_famfs_map)?"""
    lib = lib or library()
    try:
        getattr(lib, "fc_famfs_map")
        return True
    except AttributeError:
        return False


def _check(rc, what, path=None):
    if rc < 0:
        raise OSError(-rc, f"{what}: {os.strerror(-rc)}", path)
    return rc


def _b(s):
    return os.fsencode(s)


class _Closable:
    """`with` closes it (close() is the subclass's)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Owned(_Closable):
    """Closed when collected, too: it owns a library handle."""

    def __del__(self):
        self.close()


class Context(_Owned):
    """A libfamfsctl context on a fabric: "sim:DIR", "exec:PROGRAM", "none",
    or None for famfsctl's default ($FAMFSCTL_FABRIC, else [fabric] uri of
    famfsctl.conf, else none: this host's kernel only)."""

    def __init__(self, fabric=None, host_id=0):
        lib = library()
        self._ctx = _P()
        _check(lib.fc_new(ctypes.byref(self._ctx)), "fc_new")
        fabric = fabric if fabric is not None else os.environ.get("FAMFSCTL_FABRIC")
        rc = lib.fc_set_fabric(self._ctx, _b(fabric) if fabric else None, host_id)
        if rc < 0:
            self.close()
            _check(rc, f"fabric {fabric or '(default)'}")

    def close(self):
        if self._ctx:
            library().fc_unref(self._ctx)
            self._ctx = None

    def _handle(self):
        if not self._ctx:
            raise ValueError("the context is closed")
        return self._ctx

    def open_set(self, name):
        """The famfs over interleave set `name` (read-only)."""
        fs = _P()
        _check(library().fc_famfs_open_set(self._handle(), _b(name), None, ctypes.byref(fs)),
               f"set {name}", name)
        return Famfs(self, fs)

    def open_members(self, paths):
        """The famfs over members given by path (dax devices or files),
        the primary first (read-only)."""
        arr = (ctypes.c_char_p * len(paths))(*[_b(p) for p in paths])
        fs = _P()
        _check(library().fc_famfs_open(self._handle(), arr, len(paths), None, ctypes.byref(fs)),
               "members " + ",".join(map(str, paths)), paths[0] if paths else None)
        return Famfs(self, fs)

    def stats(self, set=None):
        """famfsctl stats as a dict: {"sets": [...], "devices": [...]}."""
        lib = library()
        obj = _P()
        _check(lib.fc_stats_collect(self._handle(), _b(set) if set else None, 0, ctypes.byref(obj)),
               f"stats {set or ''}".strip())
        try:
            return json.loads(lib.json_object_to_json_string(obj).decode())
        finally:
            lib.json_object_put(obj)


class Famfs(_Owned):
    """An open famfs file system. Paths are below its root ("/" is the root)."""

    def __init__(self, ctx, fs):
        self._ctxref = ctx   # the context outlives its file systems
        self._fs = fs
        self._maps = 0       # live mappings: the file system outlives them
        self._closing = False

    def close(self):
        """Close the file system, once the last of its maps is unmapped."""
        self._closing = True
        if self._fs and not self._maps:
            library().fc_famfs_close(self._fs)
            self._fs = None

    def _unmapped(self, handle):
        library().fc_famfs_unmap(handle)
        self._maps -= 1
        if self._closing:
            self.close()

    def _handle(self):
        if not self._fs or self._closing:
            raise ValueError("the file system is closed")
        return self._fs

    def stat(self, path):
        st = _Stat()
        _check(library().fc_famfs_getattr(self._handle(), _b(path), ctypes.byref(st)),
               f"stat {path}", path)
        return Stat(st.size, bool(st.is_dir), st.mode, st.uid, st.gid)

    def listdir(self, path="/"):
        """The names in directory `path`, in log order."""
        names = []

        def one(_arg, name, _st):
            names.append(os.fsdecode(name))
            return 0
        _check(library().fc_famfs_readdir(self._handle(), _b(path), _DIR_FN(one), None),
               f"listdir {path}", path)
        return names

    def scandir(self, path="/"):
        """(name, Stat) for every entry of directory `path`."""
        out = []

        def one(_arg, name, st):
            s = st.contents
            out.append((os.fsdecode(name), Stat(s.size, bool(s.is_dir), s.mode, s.uid, s.gid)))
            return 0
        _check(library().fc_famfs_readdir(self._handle(), _b(path), _DIR_FN(one), None),
               f"scandir {path}", path)
        return out

    def read(self, path, size=-1, offset=0):
        """Bytes of file `path` from `offset`: `size` of them, or to the end."""
        st = self.stat(path)
        if st.is_dir:
            raise IsADirectoryError(_errno.EISDIR, os.strerror(_errno.EISDIR), path)
        end = st.size if size < 0 else min(st.size, offset + size)
        n = max(0, end - offset)
        buf = ctypes.create_string_buffer(n)
        done = 0
        while done < n:
            got = library().fc_famfs_pread(self._handle(), _b(path),
                                           ctypes.byref(buf, done), n - done, offset + done)
            _check(got, f"read {path}", path)
            if got == 0:
                raise OSError(_errno.EIO, f"read {path}: short read at {offset + done}", path)
            done += got
        return buf.raw[:n]

    def refresh(self):
        """Replay the log: see files the master added since."""
        _check(library().fc_famfs_refresh(self._handle()), "refresh")

    def space(self):
        """(total, used) bytes over all members."""
        total, used = ctypes.c_uint64(), ctypes.c_uint64()
        library().fc_famfs_space(self._handle(), ctypes.byref(total), ctypes.byref(used))
        return total.value, used.value

    def map(self, path, write=False, force_write=False):
        """File `path` as one contiguous mapping of its members' memory."""
        lib = library()
        if not map_available(lib):
            raise OSError(_errno.ENOSYS, "this libfamfsctl has no direct map (fc_famfs_map)", path)
        flags = (MAP_WRITE if write else 0) | (MAP_FORCE_WRITE if force_write else 0)
        handle = _P()
        _check(lib.fc_famfs_map(self._handle(), _b(path), flags, ctypes.byref(handle)),
               f"map {path}", path)
        return Map(self, handle, writable=bool(flags))


class Map(_Closable):
    """A mapped file: .buffer is a memoryview of its bytes (format "B",
    read-only unless mapped for writing), zero-copy over the members."""

    def __init__(self, fs, handle, writable):
        lib = library()
        self._fs = fs
        self.size = lib.fc_famfs_map_size(handle)
        self.address = lib.fc_famfs_map_addr(handle) or 0
        # The ctypes array owns the mapping: every buffer taken from it
        # keeps it alive, and the last one gone unmaps.
        self._array = (ctypes.c_ubyte * self.size).from_address(self.address)
        fs._maps += 1
        self._unmap = weakref.finalize(self._array, fs._unmapped, handle)
        view = memoryview(self._array).cast("B")
        self.buffer = view if writable else view.toreadonly()
        self.writable = writable

    def _range(self, offset, length):
        if self.buffer is None:
            raise ValueError("the map is closed")
        if length is None:
            length = self.size - offset
        if offset < 0 or length < 0 or offset + length > self.size:
            raise ValueError(f"range {offset}+{length} is outside the map ({self.size} bytes)")
        return self.address + offset, length

    def flush(self, offset=0, length=None):
        """After writing: write the range back to the memory and fence."""
        library().fc_flush(*self._range(offset, length))

    def invalidate(self, offset=0, length=None):
        """Before reading another host's writes: drop the range's cache lines."""
        library().fc_invalidate(*self._range(offset, length))

    @property
    def mapped(self):
        """Is the memory still mapped (the map or a buffer from it alive)?"""
        return self._unmap.alive

    def close(self):
        """Give up this map's view; the memory is unmapped once no buffer
        taken from it (a numpy array, a slice) is left."""
        if self.buffer is not None:
            self.buffer.release()
            self.buffer = None
            self._array = None
