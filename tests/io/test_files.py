import pytest

from xiangcun_eval.errors import OutputExistsError, XiangcunError
from xiangcun_eval.io.files import write_bytes_atomic, write_text_atomic


def test_atomic_write_and_no_overwrite(tmp_path):
    p = tmp_path / "结果.csv"
    write_text_atomic(p, "a\n", overwrite=False)
    assert p.read_text(encoding="utf-8") == "a\n"
    with pytest.raises(OutputExistsError, match="overwrite=True") as ei:
        write_text_atomic(p, "b\n", overwrite=False)
    assert isinstance(ei.value, XiangcunError)
    assert isinstance(ei.value, FileExistsError)
    assert p.read_text(encoding="utf-8") == "a\n"
    write_text_atomic(p, "b\n", overwrite=True)
    assert p.read_text(encoding="utf-8") == "b\n"
    assert [q.name for q in tmp_path.iterdir()] == ["结果.csv"]  # no temporary left


def test_directory_target_refused(tmp_path):
    with pytest.raises(OutputExistsError, match="directory"):
        write_bytes_atomic(tmp_path, b"x", overwrite=True)


def test_failed_write_leaves_old_file(tmp_path, monkeypatch):
    p = tmp_path / "x.bin"
    p.write_bytes(b"old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_bytes_atomic(p, b"new")
    assert p.read_bytes() == b"old"
    assert [q.name for q in tmp_path.iterdir()] == ["x.bin"]


def test_newline_translation(tmp_path):
    p = tmp_path / "t.txt"
    write_text_atomic(p, "a\nb\n", newline="\r\n")
    assert p.read_bytes() == b"a\r\nb\r\n"
    write_text_atomic(p, "a\r\nb\n", newline="")
    assert p.read_bytes() == b"a\r\nb\n"


def test_permissions_like_open(tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    try:
        p = tmp_path / "m.txt"
        write_text_atomic(p, "x")
        assert stat.S_IMODE(p.stat().st_mode) == 0o644
        p.chmod(0o600)
        write_text_atomic(p, "y")
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    finally:
        os.umask(umask)
