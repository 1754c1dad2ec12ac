#!/usr/bin/python3
"""`meson install` into a staging directory, then checks that the Python
and Lua modules land where /usr/bin/python3 and lua5.4 look for the prefix,
and that the staged copies import and work (issue 4, check 1).

usage: check_install.py BUILD_DIR PREFIX LIBDIR PYTHON_DIR LUA_DIR
"""

import os
import pathlib
import subprocess
import sys
import tempfile


def main():
    build, prefix, libdir, python_dir, lua_dir = sys.argv[1:6]
    libdir_abs = libdir if os.path.isabs(libdir) else os.path.join(prefix, libdir)
    with tempfile.TemporaryDirectory(prefix="suit-install-") as stage:
        env = dict(os.environ, DESTDIR=stage)
        subprocess.run(["meson", "install", "-C", build, "--no-rebuild", "--quiet"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        staged = lambda p: pathlib.Path(stage + p)

        # where the interpreters look, without any environment
        clean = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
        sys_path = subprocess.run(["/usr/bin/python3", "-I", "-c", "import sys; print('\\n'.join(sys.path))"],
                                  env=clean, check=True, capture_output=True, text=True).stdout.split()
        cpath = subprocess.run(["lua5.4", "-e", "print(package.cpath)"], env=clean, check=True,
                               capture_output=True, text=True).stdout.strip().split(";")

        assert python_dir in sys_path, "%s is not on /usr/bin/python3's sys.path %s" % (python_dir, sys_path)
        assert os.path.join(lua_dir, "?.so") in cpath, "%s is not on lua5.4's package.cpath %s" % (lua_dir, cpath)
        assert staged(python_dir).joinpath("suit.py").is_file(), "suit.py not installed in %s" % python_dir
        assert list(staged(python_dir).glob("_suit*.so")), "_suit.so not installed in %s" % python_dir
        assert staged(lua_dir).joinpath("suit.so").is_file(), "suit.so not installed in %s" % lua_dir

        # the staged modules work from another directory (the library is in
        # the stage, so LD_LIBRARY_PATH stands in for ldconfig/rpath here)
        run_env = dict(clean, LD_LIBRARY_PATH=str(staged(libdir_abs)),
                       PYTHONPATH=str(staged(python_dir)),
                       LUA_CPATH=str(staged(lua_dir)) + "/?.so")
        out = subprocess.run(["/usr/bin/python3", "-c",
                              "import suit; k = suit.Key.generate(suit.KEY_TYPE_ED25519); print(suit.__file__)"],
                             env=run_env, cwd="/", check=True, capture_output=True, text=True).stdout
        assert out.startswith(stage), out
        subprocess.run(["lua5.4", "-e", "local suit = require 'suit'; assert(suit.Key.generate(suit.KEY_TYPE_ED25519))"],
                       env=run_env, cwd="/", check=True)
        # the rpath of the installed modules points at the installed library
        readelf = subprocess.run(["readelf", "-d", str(staged(lua_dir) / "suit.so")], check=True,
                                 capture_output=True, text=True).stdout
        assert libdir_abs in readelf, "no RUNPATH to %s in suit.so" % libdir_abs
    print("ok: python module in %s, lua module in %s" % (python_dir, lua_dir))


if __name__ == "__main__":
    main()
