// Package listsync keeps a user's MyAnimeList in step with their AniList: it
// is the service around the pure engine in package syncer. It reads the
// lists, asks syncer.Diff what to write, writes it to MAL under the shared
// rate limits with retries, stores what was synced, keeps a log of the last
// runs, and schedules all of that for every user with auto-sync on.
//
// # One sync
//
// Sync reads the user's AniList lists (both on the first sync and on a
// reconcile; otherwise only the media types the change detector saw edits
// in), reads the MAL list of a media type only when something there has to
// be compared or deleted, and writes only the fields that differ. Every entry
// written is recorded in the store at once, so a run cut short (a crash, a
// deadline, MAL failing) resumes where it stopped and never writes the same
// change twice. A write that fails for a while (429, 403, 5xx, network) is
// retried with backoff, honouring Retry-After; one that still fails, or fails
// in a way not understood, is put back so the next run tries it again, and
// the user is synced at their next turn whatever the detector says. A write
// MAL refuses for good (400, 404) is logged and not retried until the entry
// changes on AniList again, or until the daily reconcile.
//
// A 401 from MAL (the Accounts client has already tried a fresh token) pauses
// the user's sync and calls Accounts.MALUnauthorized once; the sync resumes,
// with a full reconcile, once Accounts hands out a MAL client again (after
// the user linked MAL anew).
//
// # Scheduling and spreading
//
// Every user is checked once per Interval (25 minutes). Users are spread
// over Slots turns of the interval by a hash of their Discord id; Tick, run
// every Interval/Slots, checks the users whose turn came up (and any turn a
// late tick skipped), so the work is spread over the interval rather than
// done at once. Cycle checks every user with auto-sync on at once; it is what
// `dubbot refresh sync` runs.
//
// # Change detection and its cost
//
// AniList's budget is the scarce one: 90 requests a minute nominally, 30 in
// force (degraded), shared by the whole bot. Checking a user must therefore
// cost far less than a request. A check asks
// Page.mediaList(userId_in: [up to ChunkSize users], sort: UPDATED_TIME_DESC),
// 50 rows a page with three flat fields (far below the complexity cap of
// 500), and pages on only while some undecided user's cursor is older than
// the rows: a chunk of users with no edits costs one request.
//
// Each user has a cursor: an AniList updatedAt up to which their changes are
// known to be synced. A row newer than its user's cursor that the stored
// state has not synced flags the user as changed (and says which list). A
// user the check found unchanged gets the cursor raised to just
// below the newest row of the chunk (any later edit of theirs is at least
// that new), so the next check stops at the first page again. A chunk that
// needs more than MaxPages pages treats its undecided users as changed, which
// costs a sync rather than missing an edit.
//
// What the detector cannot see: deletions (AniList does not date them),
// users whose AniList list is private (their rows are hidden from the public
// query), an edit made in the same second as the one last synced, and a row
// that a concurrent deletion shifts across a page boundary. A full reconcile
// per user every ReconcileEvery (24 hours; at a per-user hash offset, so the
// reconciles of users who enabled sync together do not come due together)
// reads and compares every entry and catches all of it.
//
// Cost, in AniList requests per 25-minute interval, for N users with
// auto-sync on, of whom U edited their list, with the defaults (Slots 5,
// ChunkSize 500, ReconcileEvery 24h, lists up to 500 entries per media type):
//
//	check      Slots·ceil(N/(Slots·500)) ≈ max(5, N/500), plus ceil(edited rows/50)
//	changed    1 per user in U (2 when the edits are in both lists, or add an entry)
//	reconcile  2 per user per day = N/28.8 per interval
//
// The budget per interval is 750 requests at 30/min and 2,250 at 90/min.
// With no edits at all, N·(1/500 + 1/28.8) ≤ budget gives about 20,400
// users at 30/min and 61,200 at 90/min; the daily reconcile is most of it
// (the checks alone would allow 375,000). If 5% of users edit something in
// every interval (2 requests each, and their rows), the limits are about
// 5,400 and 16,100 users. The anchor project's one request per user per
// cycle stops at 750 and 2,250. A Cycle over 1,000 users with no edits costs
// 2 requests (TestCycleCostThousandUsers); the five Ticks that cover them
// over an interval cost 5.
//
// MAL (about 1 request/s, 1,500 per interval) pays one list read per media
// type compared (1,000 entries a page; none for an empty AniList list), one
// request per entry written, and up to 2 reads per user per day for the
// reconcile.
//
// # Store layout
//
//	sync      u/<discord user id>                      → user record (settings, cursor, status)
//	          s/<discord user id>/<AniList media id, 8-byte big-endian> → syncer.Synced
//	sync_log  <discord user id>/<seq, 8-byte big-endian> → Run (the last LogRuns runs)
package listsync
