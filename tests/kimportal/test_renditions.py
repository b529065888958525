"""The storage bookkeeping every photo pipeline shares: kimportal.lib.renditions.

No database: the storages are throwaway folders (tests/conftest.py), the renditions small fakes.
"""

import copy
import logging
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kimportal.lib import renditions as files
from kimportal.lib.images import Rendition
from kimportal.lib.storage import private_storage

TOKEN = "A" * 22


def _made(*widths: int) -> list[Rendition]:
    return [
        Rendition(width, width // 2, fmt, f"{fmt}-{width}-".encode() * 50)
        for width in widths
        for fmt in files.FORMATS
    ]


def _read(storage, name: str) -> bytes:
    with storage.open(name, "rb") as handle:
        return handle.read()


def _save(made, *, public=True, existing=None, records=None):
    return files.save(
        made,
        prefix="r",
        owner_id=7,
        public=public,
        existing=existing or {},
        record=lambda renditions: (records if records is not None else []).append(
            copy.deepcopy(renditions)
        ),
    )


# --- Paths and tokens ----------------------------------------------------------------------------


def test_paths_keep_each_apps_layout():
    assert files.path("r", 7, TOKEN, 640, "jpeg") == f"r/7/{TOKEN}/640.jpg"
    assert files.path("s", 3, TOKEN, 320, "webp") == f"s/3/{TOKEN}/320.webp"


@pytest.mark.parametrize(
    ("recorded", "token"),
    [
        (f"r/7/{TOKEN}/640.webp", TOKEN),
        (f"withdrawn/s/3/{TOKEN}/640.jpg", TOKEN),
        (f"r/7/{TOKEN}/640_Xy12abc.webp", TOKEN),  # renamed by a storage on a clash
        ("r/7/1234/640.webp", ""),  # made before paths carried a token: never resumed into
        ("withdrawn/r/7/1234/640.webp", ""),
        ("aspirasi/x.jpg", ""),
    ],
)
def test_token_of_old_and_new_paths(recorded, token):
    assert files.token_of({"640": {"height": 320, "webp": recorded}}) == token


def test_token_of_nothing_yet():
    assert files.token_of({}) == ""
    assert files.token_of({"640": {"height": 320}}) == ""


def test_new_tokens_are_random_and_long_enough_to_be_recognised():
    first, second = files.new_token(), files.new_token()
    assert first != second and len(first) >= files.TOKEN_LENGTH
    assert files.token_of({"1": {"jpeg": files.path("r", 1, first, 1, "jpeg")}}) == first


def test_derived_tokens_are_fixed_by_seed_and_key(settings):
    token = files.derived_token("aspirasi/2026/01/a-x.upload")
    assert token == files.derived_token("aspirasi/2026/01/a-x.upload")
    assert len(token) == files.TOKEN_LENGTH
    assert token != files.derived_token("aspirasi/2026/01/a-y.upload")
    settings.SECRET_KEY = "another-key-" * 5
    assert token != files.derived_token("aspirasi/2026/01/a-x.upload")  # not guessable from seed


# --- Saving --------------------------------------------------------------------------------------


def test_save_stores_every_rendition_publicly_and_records_after_each_file():
    records = []
    renditions = _save(_made(640, 320), records=records)
    assert sorted(renditions) == ["320", "640"]
    assert renditions["640"]["height"] == 320
    token = files.token_of(renditions)
    assert renditions["640"]["jpeg"] == f"r/7/{token}/640.jpg"
    for recorded in files.paths(renditions):
        assert default_storage.exists(recorded) and not private_storage().exists(recorded)
    assert _read(default_storage, renditions["320"]["webp"]) == b"webp-320-" * 50
    # Recorded after each file, each record holding one more: a kill loses at most one file.
    assert [len(list(files.paths(r))) for r in records] == [1, 2, 3, 4]


def test_save_for_a_photo_that_is_not_public_goes_straight_to_the_private_storage():
    renditions = _save(_made(640), public=False)
    for recorded in files.paths(renditions):
        assert recorded.startswith("withdrawn/r/7/")
        assert private_storage().exists(recorded)
        assert not default_storage.exists(recorded.removeprefix("withdrawn/"))


def test_a_killed_run_is_finished_in_the_same_folder_making_only_what_is_missing():
    first = _save(_made(640, 320))
    existing = {"640": first["640"]}  # the run died after the 640 pair was recorded
    default_storage.delete(first["320"]["webp"])
    default_storage.delete(first["320"]["jpeg"])
    saved = []
    real_save = default_storage.save
    with mock.patch.object(
        default_storage, "save", side_effect=lambda n, c: saved.append(n) or real_save(n, c)
    ):
        renditions = _save(_made(640, 320), existing=existing)
    assert renditions == first  # the very same names
    assert len(saved) == 2 and files.token_of(renditions) == files.token_of(first)


def test_a_half_written_file_is_replaced_under_its_own_name():
    name = f"r/7/{TOKEN}/320.webp"
    default_storage.save(name, ContentFile(b"half"))
    existing = {"640": {"height": 320, "webp": f"r/7/{TOKEN}/640.webp"}}
    renditions = _save(_made(320), existing=existing)
    assert renditions["320"]["webp"] == name  # not a renamed copy beside the broken one
    assert _read(default_storage, name) == b"webp-320-" * 50


def test_write_replaces_what_is_there():
    default_storage.save("aspirasi/x.jpg", ContentFile(b"half"))
    assert files.write(default_storage, "aspirasi/x.jpg", b"whole") == "aspirasi/x.jpg"
    assert _read(default_storage, "aspirasi/x.jpg") == b"whole"


def test_delete_removes_files_from_both_storages():
    public = _save(_made(640))
    withdrawn = _save(_made(320), public=False)
    both = {**public, **withdrawn}
    files.delete(both)
    assert not any(files.storage_of(p).exists(p) for p in files.paths(both))


# --- Moving --------------------------------------------------------------------------------------


def test_moves_both_ways_keep_the_name_and_the_bytes():
    recorded = _save(_made(640))["640"]["jpeg"]
    data = _read(default_storage, recorded)
    withdrawn = files.move(recorded, to_public=False)
    assert withdrawn == "withdrawn/" + recorded
    assert files.storage_of(withdrawn) is private_storage()
    assert _read(private_storage(), withdrawn) == data
    assert not default_storage.exists(recorded)
    restored = files.move(withdrawn, to_public=True)
    assert restored == recorded and _read(default_storage, recorded) == data
    assert not private_storage().exists(withdrawn)


def test_a_move_killed_after_a_partial_copy_is_finished_by_the_next_run():
    recorded = _save(_made(640))["640"]["webp"]
    data = _read(default_storage, recorded)
    private_storage().save("withdrawn/" + recorded, ContentFile(b"half"))  # then the kill
    assert files.move(recorded, to_public=False) == "withdrawn/" + recorded
    assert _read(private_storage(), "withdrawn/" + recorded) == data
    assert not default_storage.exists(recorded)


def test_a_move_killed_before_it_was_recorded_is_finished_without_a_copy(caplog):
    recorded = _save(_made(640))["640"]["webp"]
    data = _read(default_storage, recorded)
    files.move(recorded, to_public=False)  # copied and deleted; the caller died before recording
    with caplog.at_level(logging.WARNING, logger="kimportal.lib.renditions"):
        assert files.move(recorded, to_public=False) == "withdrawn/" + recorded
    assert _read(private_storage(), "withdrawn/" + recorded) == data
    assert not caplog.records


def test_a_file_in_neither_storage_is_recorded_as_moved_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="kimportal.lib.renditions"):
        assert files.move(f"r/7/{TOKEN}/1.jpg", to_public=False) == f"withdrawn/r/7/{TOKEN}/1.jpg"
    assert "neither storage" in caplog.text


def test_relocating_a_file_onto_itself_keeps_it():
    recorded = _save(_made(640))["640"]["webp"]
    assert files.relocate(recorded, recorded) == recorded
    assert default_storage.exists(recorded)


def test_relocate_moves_within_a_storage_to_a_new_folder():
    old = "withdrawn/r/7/99/640.jpg"
    private_storage().save(old, ContentFile(b"photo"))
    new = f"withdrawn/r/7/{TOKEN}/640.jpg"
    assert files.relocate(old, new) == new
    assert _read(private_storage(), new) == b"photo" and not private_storage().exists(old)


def test_follow_moves_only_what_is_misplaced_and_counts_files():
    renditions = _save(_made(640, 320))
    renditions["320"]["jpeg"] = files.move(renditions["320"]["jpeg"], to_public=False)
    before = copy.deepcopy(renditions)
    followed, moved = files.follow(renditions, public=False)
    assert moved == 3
    assert all(p.startswith("withdrawn/") for p in files.paths(followed))
    assert renditions == before  # the caller's dict is left as it was, for the caller to record
    back, moved = files.follow(followed, public=True)
    assert moved == 4 and all(default_storage.exists(p) for p in files.paths(back))


def test_follow_asks_no_storage_when_everything_is_in_place():
    renditions = _save(_made(640))
    with (
        mock.patch.object(default_storage, "exists", side_effect=AssertionError),
        mock.patch.object(private_storage(), "exists", side_effect=AssertionError),
    ):
        assert files.follow(renditions, public=True) == (renditions, 0)
    assert files.needs_move(renditions, public=False)
    assert not files.needs_move(renditions, public=True)
