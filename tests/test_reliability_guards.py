"""Reliability of what members and admins may do: lessons go to a channel only at the word of
its own admin, and /forget leaves no running reminder and no copy in the write-ahead log."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Chat, running
from tests.standin import StandIn

MEMBER = 1001

# ---------------------------------------------------------------- lessons to a channel

CHANNEL = "@riskschool"


async def test_only_an_admin_of_the_channel_points_lessons_at_it(
    api: StandIn, db_path: Path
) -> None:
    """Lessons go to a channel at its own admin's word only, never another group admin's."""
    group = -1_008_000_000
    command = f"/policy channel {CHANNEL} daily 09:00"
    channel = api.world.chat(CHANNEL)["id"]
    api.chat_members[(channel, api.bot["id"])] = "administrator"
    api.chat_members[(group, 7)] = api.chat_members[(group, 8)] = "administrator"
    api.chat_members[(channel, 8)] = "administrator"
    async with running(api, db_path) as app:
        outsider = Chat(api, user_id=7, chat_id=group, chat_type="supergroup")
        refused = await outsider.say(command)
        anonymous = api.push_message(
            command,
            user_id=1087039,
            chat_id=group,
            chat_type="supergroup",
            sender_chat=api.world.chat(group),
        )
        (hidden,) = await api.wait_for(
            lambda call: (
                call.ok
                and call.method == "sendMessage"
                and call.params["reply_parameters"]["message_id"]
                == anonymous["message"]["message_id"]
            )
        )
        assert app.job_queue is not None
        assert app.job_queue.get_jobs_by_name(f"lessons:{group}") == ()
        saved = await Chat(api, user_id=8, chat_id=group, chat_type="supergroup").say(command)
        assert len(app.job_queue.get_jobs_by_name(f"lessons:{group}")) == 1
    for answer in (refused["text"], hidden.params["text"]):
        assert f"Only an admin of {CHANNEL}" in answer
    assert f"in {CHANNEL}" in saved["text"]
    asked = {
        call.params["user_id"]
        for call in api.calls
        if call.method == "getChatMember" and call.params["chat_id"] == CHANNEL
    }
    assert {7, 8} <= asked


# ---------------------------------------------------------------- /forget with live jobs

NAME = "Zebulonia"


async def test_forget_stops_live_reminders_and_leaves_nothing_in_the_wal(
    api: StandIn, db_path: Path
) -> None:
    """/forget stops live reminder jobs and leaves name and zone in neither file nor -wal."""
    member = Chat(api, user_id=MEMBER)
    async with running(api, db_path) as app:
        assert app.job_queue is not None
        await member.say("/start", first_name=NAME)
        await member.say("/settings tz Pacific/Chatham")
        await member.say("/remind daily 20:00")
        await member.say("/remind weekly sun 18:00")
        due = app.job_queue.get_jobs_by_name(f"remind:{MEMBER}:daily")
        assert len(due) == 1 and len(app.job_queue.get_jobs_by_name(f"remind:{MEMBER}:weekly")) == 1
        await member.say("/forget")
        await member.press("forget:yes")
        assert [job for job in app.job_queue.jobs() if job.name.startswith("remind:")] == []
        before = len(api.sent(MEMBER))
        await due[0].run(app)  # a job that was already running when the member erased
        assert len(api.sent(MEMBER)) == before
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.stat().st_size == 0
        for stored in (db_path.read_bytes(), wal.read_bytes()):
            assert NAME.encode() not in stored and b"Pacific/Chatham" not in stored
