# SPDX-License-Identifier: GPL-2.0-only
"""The Python module famfsctl (python/famfsctl) against a famfs the
command line made on the simulator: open a set and member paths, list,
stat, read (whole, ranges), space, stats; errors as OSError subclasses;
the direct map as a zero-copy memoryview (and numpy.frombuffer over it)
when the library has fc_famfs_map, else the clear ENOSYS it gives."""
import ctypes
import errno
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import famfsctl

FAMFSCTL = os.environ["FAMFSCTL"]
try:
    import numpy
except ImportError:
    numpy = None


def run(*args, **kw):
    return subprocess.run([FAMFSCTL, *args], check=True, capture_output=True, text=True, **kw).stdout


class Fixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.fabric = f"sim:{cls.dir}/fabric"
        os.environ["FAMFSCTL_FABRIC"] = cls.fabric
        os.environ["FAMFSCTL_POLICY_DIR"] = f"{cls.dir}/etc"
        os.environ["FAMFSCTL_SYSTEM_UUID"] = "5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a"
        os.makedirs(f"{cls.dir}/etc/policies.d")
        with open(f"{cls.dir}/etc/policies.d/py.conf", "w") as f:
            f.write("[members]\ncount = 2\n[capacity]\nmember_size = 4G\n"
                    "[interleave]\nchunk = 2M\nstrips = 2\n"
                    f"[famfs]\nmount_mode = portable\nmount_point = {cls.dir}/mnt\n")
        run("fabric", "create", "--devices", "2", "--capacity", "8G")
        # alloc, interleave, format, mount; members left in devdax (the
        # direct map needs it)
        run("up", "py")
        run("mkdir", "-p", "py:/data/sub")
        cls.small = b"hello from famfs\n"
        cls.big = os.urandom(5 * 1024 * 1024 + 123)   # striped over both members
        for name, data in (("small", cls.small), ("big", cls.big)):
            with open(f"{cls.dir}/{name}", "wb") as f:
                f.write(data)
            run("cp", f"{cls.dir}/{name}", "py:/data")
        run("creat", "-s", "3M", "py:/top")   # allocated, never written: zeros
        cls.ctx = famfsctl.Context(cls.fabric)
        cls.fs = cls.ctx.open_set("py")

    @classmethod
    def tearDownClass(cls):
        cls.fs.close()
        cls.ctx.close()
        run("umount", f"{cls.dir}/mnt")   # its server goes with it
        shutil.rmtree(cls.dir)


class Files(Fixture):
    def test_listdir(self):
        self.assertEqual(sorted(self.fs.listdir("/")), ["data", "top"])
        self.assertEqual(sorted(self.fs.listdir("/data")), ["big", "small", "sub"])
        self.assertEqual(self.fs.listdir("/data/sub"), [])

    def test_scandir(self):
        entries = dict(self.fs.scandir("/data"))
        self.assertTrue(entries["sub"].is_dir)
        self.assertEqual(entries["big"].size, len(self.big))

    def test_stat(self):
        st = self.fs.stat("/data/small")
        self.assertEqual(st.size, len(self.small))
        self.assertFalse(st.is_dir)
        self.assertEqual(st.mode & 0o777, os.stat(f"{self.dir}/small").st_mode & 0o777)
        self.assertTrue(self.fs.stat("/").is_dir)
        self.assertEqual(self.fs.stat("/top").size, 3 << 20)

    def test_read(self):
        self.assertEqual(self.fs.read("/data/small"), self.small)
        self.assertEqual(self.fs.read("/data/big"), self.big)
        self.assertEqual(self.fs.read("/data/big", 1000, 2 * 1024 * 1024 - 10),
                         self.big[2 * 1024 * 1024 - 10:2 * 1024 * 1024 + 990])
        self.assertEqual(self.fs.read("/data/small", 100, 6), self.small[6:])
        self.assertEqual(self.fs.read("/data/small", offset=1000), b"")
        self.assertEqual(self.fs.read("/top", 4096, (3 << 20) - 4096), bytes(4096))

    def test_errors(self):
        with self.assertRaises(FileNotFoundError):
            self.fs.stat("/nope")
        with self.assertRaises(FileNotFoundError):
            self.fs.listdir("/nope")
        with self.assertRaises(NotADirectoryError):
            self.fs.listdir("/data/small")
        with self.assertRaises(IsADirectoryError):
            self.fs.read("/data")
        with self.assertRaises(OSError) as e:
            self.ctx.open_set("nosuch")
        self.assertEqual(e.exception.errno, errno.ENOENT)
        with self.assertRaises(OSError):
            famfsctl.Context("nosuchplugin:x")

    def test_space_and_stats(self):
        total, used = self.fs.space()
        self.assertEqual(total, 8 << 30)
        stats = self.ctx.stats("py")
        (s,) = stats["sets"]
        self.assertEqual((s["capacity"], s["used"]), (total, used))
        self.assertEqual((s["files"], s["directories"]), (3, 2))
        self.assertEqual(len(stats["devices"]), 2)
        import json
        cli = json.loads(run("stats", "py"))
        self.assertEqual(cli, stats)
        with self.assertRaises(OSError):
            self.ctx.stats("nosuch")

    def test_closed(self):
        fs = self.ctx.open_set("py")
        fs.close()
        with self.assertRaises(ValueError):
            fs.stat("/")


class Members(unittest.TestCase):
    """A famfs over member files given by path, opened without any set."""

    def test_open_members(self):
        d = tempfile.mkdtemp()
        try:
            paths = [f"{d}/m0", f"{d}/m1"]
            for p in paths:
                with open(p, "wb") as f:
                    f.truncate(4 << 30)
            env = dict(os.environ, FAMFSCTL_FABRIC="none")
            run("format", ",".join(paths), env=env)
            run("mkdir", ",".join(paths) + ":/x", env=env)
            with famfsctl.Context("none") as ctx, ctx.open_members(paths) as fs:
                self.assertEqual(fs.listdir("/"), ["x"])
                self.assertEqual(fs.space()[0], 8 << 30)
            with famfsctl.Context("none") as ctx, self.assertRaises(OSError):
                ctx.open_members([paths[1]])      # a secondary is no primary
        finally:
            shutil.rmtree(d)


class DirectMap(Fixture):
    def setUp(self):
        if not famfsctl.map_available():
            self.skipTest("this libfamfsctl has no fc_famfs_map")

    def test_map_reads_the_file(self):
        with self.fs.map("/data/big") as m:
            self.assertEqual(m.size, len(self.big))
            self.assertEqual(m.buffer.format, "B")
            self.assertTrue(m.buffer.readonly)
            m.invalidate()
            self.assertEqual(bytes(m.buffer), self.big)
            self.assertEqual(bytes(m.buffer[2 * 1024 * 1024 - 3:2 * 1024 * 1024 + 3]),
                             self.big[2 * 1024 * 1024 - 3:2 * 1024 * 1024 + 3])
            with self.assertRaises(TypeError):
                m.buffer[0] = 1
            with self.assertRaises(ValueError):
                m.flush(0, m.size + 1)

    def test_map_errors(self):
        with self.assertRaises(FileNotFoundError):
            self.fs.map("/nope")
        with self.assertRaises(IsADirectoryError):
            self.fs.map("/data")
        with self.assertRaises(PermissionError):
            self.fs.map("/data/small", write=True)   # opened read-only: not the master

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_numpy_frombuffer_zero_copy(self):
        m = self.fs.map("/data/big")
        n = (len(self.big) // 8) * 8
        a = numpy.frombuffer(m.buffer, dtype=numpy.uint64, count=n // 8)
        self.assertEqual(a.tobytes(), self.big[:n])
        self.assertEqual(a.ctypes.data, m.address)          # no copy: the map itself
        self.assertFalse(a.flags.writeable)
        m.close()
        self.assertTrue(m.mapped)                           # the array keeps it
        self.assertEqual(int(a[-1]), int.from_bytes(self.big[n - 8:n], sys.byteorder))
        del a
        self.assertFalse(m.mapped)                          # the last buffer unmapped it


class MapLifetime(unittest.TestCase):
    """famfsctl.Map's own logic -- the memoryview over the address the
    library gives, ranges of flush/invalidate, unmapping with the last
    buffer, the file system closed after its maps -- over a recording
    stand-in for the library's map calls (the real ones: DirectMap)."""

    class Lib:
        def __init__(self, size):
            self.mem = ctypes.create_string_buffer(bytes(range(256)) * (size // 256), size)
            self.calls = []

        def fc_famfs_map_size(self, h):
            return len(self.mem)

        def fc_famfs_map_addr(self, h):
            return ctypes.addressof(self.mem)

        def fc_famfs_unmap(self, h):
            self.calls.append(("unmap", h))

        def fc_famfs_close(self, fs):
            self.calls.append(("close", fs))

        def fc_flush(self, addr, n):
            self.calls.append(("flush", addr - ctypes.addressof(self.mem), n))

        def fc_invalidate(self, addr, n):
            self.calls.append(("invalidate", addr - ctypes.addressof(self.mem), n))

    def setUp(self):
        self.saved = famfsctl._lib
        self.lib = famfsctl._lib = self.Lib(1 << 16)
        self.fs = famfsctl.Famfs(None, "fs-handle")

    def tearDown(self):
        # nothing of the stand-in may reach the real library later
        import gc
        gc.collect()
        self.fs._fs = None
        famfsctl._lib = self.saved

    def test_view_flush_invalidate(self):
        m = famfsctl.Map(self.fs, "h1", writable=False)
        self.assertEqual((m.size, m.buffer.nbytes, m.buffer.format), (1 << 16, 1 << 16, "B"))
        self.assertTrue(m.buffer.readonly)
        self.assertEqual(bytes(m.buffer[250:260]), bytes([250, 251, 252, 253, 254, 255, 0, 1, 2, 3]))
        m.flush()
        m.invalidate(4096, 100)
        self.assertEqual(self.lib.calls, [("flush", 0, 1 << 16), ("invalidate", 4096, 100)])
        for bad in ((-1, 1), (0, (1 << 16) + 1), ((1 << 16) - 1, 2)):
            with self.assertRaises(ValueError):
                m.flush(*bad)
        w = famfsctl.Map(self.fs, "h2", writable=True)
        w.buffer[0] = 0xAB
        self.assertEqual(self.lib.mem.raw[0], 0xAB)       # the same memory, no copy
        m.close()
        w.close()
        self.assertEqual(self.lib.calls[-2:], [("unmap", "h1"), ("unmap", "h2")])
        with self.assertRaises(ValueError):
            m.flush()

    def test_buffers_keep_the_map(self):
        m = famfsctl.Map(self.fs, "h", writable=False)
        view = m.buffer[100:200]
        self.fs.close()                      # deferred: a map is alive
        self.assertNotIn(("close", "fs-handle"), self.lib.calls)
        m.close()
        self.assertTrue(m.mapped)            # the slice keeps it mapped
        self.assertEqual(view[0], 100)
        view.release()
        del view
        self.assertFalse(m.mapped)
        self.assertEqual(self.lib.calls, [("unmap", "h"), ("close", "fs-handle")])

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_numpy_over_the_view(self):
        m = famfsctl.Map(self.fs, "h", writable=False)
        a = numpy.frombuffer(m.buffer, dtype=numpy.uint8)
        self.assertEqual(a.ctypes.data, ctypes.addressof(self.lib.mem))
        self.assertEqual(int(a[257]), 1)
        m.close()
        self.assertTrue(m.mapped)
        del a
        self.assertFalse(m.mapped)


class NoMap(Fixture):
    def test_map_missing_says_so(self):
        if famfsctl.map_available():
            self.skipTest("the library has the direct map")
        with self.assertRaises(OSError) as e:
            self.fs.map("/data/small")
        self.assertEqual(e.exception.errno, errno.ENOSYS)


if __name__ == "__main__":
    unittest.main(verbosity=2)
