"""Every SQL statement of the database, by what it does; `db.Database` runs them.

Parameters are always named (`:user_id`), never formatted into the text; the few statements
built from names take the names from the models (`NewCheck`'s fields), not from input.
"""

from chatbot.evaluation.log import NewCheck

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    # /forget promises erasure: overwrite deleted content instead of leaving it in free pages.
    "PRAGMA secure_delete = ON",
)

CHECK_COLUMNS = tuple(NewCheck.model_fields)
INSERT_CHECK = (
    f"INSERT INTO checks ({', '.join(CHECK_COLUMNS)}) "
    f"VALUES ({', '.join(':' + column for column in CHECK_COLUMNS)}) "
    "ON CONFLICT (update_key) DO NOTHING RETURNING id"
)
CHECK_ID = "SELECT id FROM checks WHERE update_key = :update_key"
REPLIED = "SELECT replied FROM checks WHERE id = :check_id"
# Answered checks (a JSON array of ids): marked, and no longer owed (`storage.late`).
MARK_REPLIED = (
    "UPDATE checks SET replied = 1 WHERE id IN (SELECT value FROM json_each(:check_ids))",
    "DELETE FROM late_answers WHERE check_id IN (SELECT value FROM json_each(:check_ids))",
)
SET_EXPLORING = "UPDATE checks SET exploring = :exploring WHERE id = :check_id"
UPSERT_OUTCOME = """
    INSERT INTO outcomes (check_id, user_id, result, exit_price, r_multiple, liquidated,
                          loss_beyond_budget, created_at)
    VALUES (:check_id, :user_id, :result, :exit_price, :r_multiple, :liquidated,
            :loss_beyond_budget, :created_at)
    ON CONFLICT (check_id) DO UPDATE SET
        result = excluded.result,
        exit_price = excluded.exit_price,
        r_multiple = excluded.r_multiple,
        liquidated = excluded.liquidated,
        loss_beyond_budget = excluded.loss_beyond_budget,
        created_at = excluded.created_at
"""
_WITH_OUTCOMES = f"""
    SELECT c.id, {", ".join("c." + column for column in CHECK_COLUMNS)},
           o.result AS o_result, o.exit_price AS o_exit_price, o.r_multiple AS o_r_multiple,
           o.liquidated AS o_liquidated, o.loss_beyond_budget AS o_loss_beyond_budget,
           o.created_at AS o_created_at
    FROM checks AS c LEFT JOIN outcomes AS o ON o.check_id = c.id
"""
JOURNAL = _WITH_OUTCOMES + " WHERE c.user_id = :user_id"
EVERY_OUTCOME = _WITH_OUTCOMES + " WHERE o.check_id IS NOT NULL ORDER BY c.id"
RESCORE_OUTCOME = """
    UPDATE outcomes SET result = :result, exit_price = :exit_price, r_multiple = :r_multiple,
                        liquidated = :liquidated, loss_beyond_budget = :loss_beyond_budget
    WHERE check_id = :check_id
"""
JOURNAL_PAGE = (
    JOURNAL
    + " AND (:sized = 0 OR c.command = 'size')"
    + " AND (:before_id IS NULL OR c.id < :before_id) ORDER BY c.id DESC LIMIT :limit"
)
JOURNAL_ONE = JOURNAL + " AND c.id = :check_id"
JOURNAL_ALL = JOURNAL + " ORDER BY c.id"
COUNT_CHECKS = "SELECT count(*) FROM checks WHERE user_id = :user_id"
LATEST_SIZE = (
    "SELECT max(id) FROM checks WHERE user_id = :user_id AND command = 'size' AND exploring = 0"
)
# The record's slice of the member's /size checks, in id order.
DISCIPLINE = """
    SELECT c.id AS check_id, c.created_at, c.local_day, c.within_rules, c.breaks, c.exploring,
           c.risk, c.account, o.result, o.r_multiple, coalesce(o.liquidated, 0) AS liquidated,
           o.loss_beyond_budget
    FROM checks AS c LEFT JOIN outcomes AS o ON o.check_id = c.id
    WHERE c.user_id = :user_id AND c.command = 'size'
"""
DISCIPLINE_ALL = DISCIPLINE + " ORDER BY c.id"
DISCIPLINE_ONE = DISCIPLINE + " AND c.id = :check_id"
# The checks after the settled ones, the next `limit` of them (-1: all), for settling a batch
# or replaying a change of mind.
UNSETTLED = DISCIPLINE + " AND c.id > :after ORDER BY c.id LIMIT :limit"
# The latest counted checks with a risk, newest first, for the risk chart.
LATEST_COUNTED = (
    DISCIPLINE + " AND c.exploring = 0 AND c.risk IS NOT NULL ORDER BY c.id DESC LIMIT :limit"
)
MEMBERS_WITH_CHECKS = "SELECT DISTINCT user_id FROM checks WHERE command = 'size' ORDER BY user_id"
STANDING = (
    "SELECT tally, run, settled, settled_id, pending_since FROM standings WHERE user_id = :user_id"
)
SAVE_STANDING = """
    INSERT INTO standings (user_id, tally, run, settled, settled_id, pending_since)
    VALUES (:user_id, :tally, :run, :settled, :settled_id, :pending_since)
    ON CONFLICT (user_id) DO UPDATE SET
        tally = excluded.tally,
        run = excluded.run,
        settled = excluded.settled,
        settled_id = excluded.settled_id,
        pending_since = excluded.pending_since
"""
DELETE_STANDINGS = "DELETE FROM standings"
UPSERT_MEMBER = """
    INSERT INTO members (user_id, first_name, username, language_code, created_at)
    VALUES (:user_id, :first_name, :username, :language_code, :created_at)
    ON CONFLICT (user_id) DO UPDATE SET
        first_name = excluded.first_name,
        username = excluded.username,
        language_code = excluded.language_code
"""
ENSURE_MEMBER = """
    INSERT INTO members (user_id, created_at) VALUES (:user_id, :created_at)
    ON CONFLICT (user_id) DO NOTHING
"""
MEMBER = "SELECT * FROM members WHERE user_id = :user_id"
SETTINGS = "SELECT * FROM settings WHERE user_id = :user_id"
POLICY = "SELECT * FROM groups WHERE chat_id = :chat_id"
SAVE_REMINDER = """
    INSERT INTO reminders (user_id, kind, weekday, at, tz, paused, created_at)
    VALUES (:user_id, :kind, :weekday, :at, :tz, 0, :created_at)
    ON CONFLICT (user_id, kind) DO UPDATE SET
        weekday = excluded.weekday, at = excluded.at, tz = excluded.tz, paused = 0
"""
REMINDER_COLUMNS = "SELECT user_id, kind, weekday, at, tz, paused FROM reminders"
REMINDERS = REMINDER_COLUMNS + " WHERE user_id = :user_id ORDER BY kind"
ACTIVE_REMINDERS = REMINDER_COLUMNS + " WHERE paused = 0 ORDER BY user_id, kind"
DELETE_REMINDERS = "DELETE FROM reminders WHERE user_id = :user_id"
PAUSE_REMINDERS = "UPDATE reminders SET paused = 1 WHERE user_id = :user_id"
OPEN_CHECKS = (
    JOURNAL
    + " AND c.command = 'size' AND c.exploring = 0 AND o.check_id IS NULL"
    + " AND c.created_at >= :since ORDER BY c.id"
)
BREAKS_SINCE = """
    SELECT breaks FROM checks
    WHERE user_id = :user_id AND command = 'size' AND exploring = 0 AND within_rules = 0
      AND created_at >= :since
"""
NEXT_LESSON = "SELECT next_lesson FROM lesson_progress WHERE user_id = :user_id"
SET_NEXT_LESSON = """
    INSERT INTO lesson_progress (user_id, next_lesson) VALUES (:user_id, :next_lesson)
    ON CONFLICT (user_id) DO UPDATE SET next_lesson = excluded.next_lesson
"""
LESSON_SCHEDULES = (
    "SELECT * FROM groups WHERE lesson_kind IS NOT NULL AND lessons_paused = 0 ORDER BY chat_id"
)
# After an erase: copy the log's pages back into the database file (where secure_delete has
# overwritten the erased rows) and empty the -wal file, which still holds them as written.
WAL_CHECKPOINT = "PRAGMA wal_checkpoint(TRUNCATE)"
# Children first, so the counts are exact rather than hidden in ON DELETE CASCADE.
FORGET = (
    "DELETE FROM late_answers WHERE user_id = :user_id",
    "DELETE FROM reminders WHERE user_id = :user_id",
    "DELETE FROM lesson_progress WHERE user_id = :user_id",
    "DELETE FROM outcomes WHERE user_id = :user_id",
    "DELETE FROM standings WHERE user_id = :user_id",
    "DELETE FROM checks WHERE user_id = :user_id",
    "DELETE FROM settings WHERE user_id = :user_id",
    "DELETE FROM members WHERE user_id = :user_id",
)
