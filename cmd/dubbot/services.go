package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"dubbot/announce"
	"dubbot/bot"
	"dubbot/catalog"
	"dubbot/dubs"
	"dubbot/jobs"
	"dubbot/link"
	"dubbot/listsync"
	"dubbot/notify"
	"dubbot/queue"
	"dubbot/ratelimit"
	"dubbot/store"
	"dubbot/upstream/anilist"
	"dubbot/upstream/animeschedule"
	"dubbot/upstream/httpx"
	"dubbot/upstream/jikan"
	"dubbot/upstream/mal"
)

// services are the domain services, built once per App.
type services struct {
	jikanLimiter   *ratelimit.Limiter
	malLimiter     *ratelimit.Limiter
	anilistLimiter *ratelimit.Limiter
	anilist        *anilist.Client // public queries, no user token
	jikan          *jikan.Client
	catalog        *catalog.Catalog
	queue          *queue.Queue
	dubs           *dubs.Service
	notify         *notify.Service
	link           *link.Service
	announce       *announce.Service
	sync           *listsync.Service
}

// buildServices makes the upstream clients (one shared limiter each), the
// catalog, the queue and the dub data.
func (a *App) buildServices() error {
	a.svc.jikanLimiter = ratelimit.New("jikan", a.cfg.JikanRateLimit)
	jc, err := jikan.New(jikan.Config{
		BaseURL: a.cfg.JikanAPIURL,
		HTTP:    httpx.NewClient(a.svc.jikanLimiter, a.metrics, 20*time.Second),
	})
	if err != nil {
		return fmt.Errorf("jikan client: %w", err)
	}
	a.svc.jikan = jc
	a.svc.malLimiter = ratelimit.New("mal", a.cfg.MALRateLimit)
	a.svc.anilistLimiter = ratelimit.New("anilist", a.cfg.AniListRateLimit)
	a.svc.anilist = anilist.New(a.cfg.AniListAPIURL, &http.Client{Transport: &httpx.Transport{
		Limiter: a.svc.anilistLimiter, Observer: a.metrics, Timeout: 20 * time.Second, LimitWindow: time.Minute,
	}})
	// Details come from the MAL API when a client id is configured (it is
	// the primary source), else from Jikan; catalog pages and search stay
	// on Jikan, which needs no key.
	details, detailsUpstream := catalog.Source(jc), "jikan"
	if a.cfg.MALClientID != "" {
		details = mal.New(a.cfg.MALAPIURL, httpx.NewClient(a.svc.malLimiter, a.metrics, 20*time.Second)).WithClientID(a.cfg.MALClientID)
		detailsUpstream = "mal"
	}
	// The title index is built on first use, so operator commands that
	// never look at titles do not pay for it; serve builds it at start.
	a.svc.catalog = catalog.New(a.db, details, a.log)
	a.svc.queue = queue.New(a.db, queue.Options{Workers: a.cfg.QueueWorkers, Logger: a.log},
		a.svc.catalog.DetailsKind(detailsUpstream),
		a.svc.catalog.CatalogPageKind("jikan", jc),
	)
	// Queueing writes to the store; a command answering from the cache
	// should not wait for that.
	a.svc.catalog.SetRefresher(func(id int) {
		a.background.Add(1)
		go func() {
			defer a.background.Done()
			a.queueDetails([]int{id}, queue.Normal)
		}()
	})
	var timetable dubs.Timetable
	if a.cfg.AnimeScheduleToken != "" {
		timetable = animeschedule.New(httpx.NewClient(ratelimit.New("animeschedule", []ratelimit.Rate{{N: 2, Per: time.Second}}), a.metrics, 30*time.Second), a.cfg.AnimeScheduleAPIURL, a.cfg.AnimeScheduleToken)
	}
	a.buildLink()
	a.buildAnnounce()
	a.svc.sync, err = listsync.New(listsync.Config{
		DB: a.db, Accounts: syncAccounts{a.svc.link},
		AniListEndpoint: a.cfg.AniListAPIURL, MALBaseURL: a.cfg.MALAPIURL,
		AniListLimiter: a.svc.anilistLimiter, MALLimiter: a.svc.malLimiter,
		// link's per-user clients already wait on the shared limiters.
		ClientsLimited: true,
		Observer:       a.metrics, Logger: a.log,
	})
	if err != nil {
		return fmt.Errorf("sync service: %w", err)
	}
	a.svc.dubs, err = dubs.New(a.db, dubs.Config{
		Timetable:  timetable,
		DubInfoURL: a.cfg.DubInfoURL,
		AiringURL:  a.cfg.AiringURL,
		HTTP:       httpx.NewClient(nil, a.metrics, 30*time.Second),
		Catalog:    a.svc.catalog,
		Notify:     a.svc.queue.Notify,
		Problems:   func(source, kind string, n int) { a.metrics.Refresh.Add(float64(n), source, kind) },
		Logger:     a.log,
	})
	return err
}

// buildLink makes the DM sender and account linking; linked users' requests
// share MAL's and AniList's limiters with everything else.
func (a *App) buildLink() {
	var sender notify.Sender // stays nil, not a nil *discord.REST, without a token
	if a.rest != nil {
		sender = a.rest
	}
	a.svc.notify = notify.New(a.db, sender, a.log)
	a.svc.link = link.New(a.db, a.box, a.svc.notify, link.Config{
		PublicURL:           a.cfg.PublicURL,
		MALClientID:         a.cfg.MALClientID,
		MALClientSecret:     a.cfg.MALClientSecret,
		MALAuthURL:          a.cfg.MALOAuthURL,
		MALAPIURL:           a.cfg.MALAPIURL,
		AniListClientID:     a.cfg.AniListClientID,
		AniListClientSecret: a.cfg.AniListClientSecret,
		AniListAuthURL:      a.cfg.AniListOAuthURL,
		AniListAPIURL:       a.cfg.AniListAPIURL,
		HTTP:                httpx.NewClient(nil, a.metrics, 30*time.Second),
		MALHTTP:             httpx.NewClient(a.svc.malLimiter, a.metrics, 30*time.Second),
		// AniList blocks for a minute after a 429.
		AniListHTTP: &http.Client{Transport: &httpx.Transport{
			Limiter: a.svc.anilistLimiter, Observer: a.metrics, Timeout: 30 * time.Second,
			LimitWindow: time.Minute, Backoff: time.Minute,
		}},
		Logger: a.log,
	})
}

// buildAnnounce makes the announcer: server posts through REST, watcher
// DMs through notify.
func (a *App) buildAnnounce() {
	var poster announce.Poster // stays nil, not a nil *discord.REST, without a token
	if a.rest != nil {
		poster = a.rest
	}
	a.svc.announce = announce.New(a.db, announce.Config{
		Poster: poster, DM: a.svc.notify, Catalog: a.svc.catalog, Logger: a.log,
	})
}

// deliver posts pending announcements. Only the serving bot posts: a
// `dubbot refresh` run on the store directly leaves the events for it.
func (a *App) deliver(ctx context.Context) (string, error) {
	if a.rest == nil || !a.serving.Load() {
		return "announcements: events kept for the bot to post when it runs", nil
	}
	sum, err := a.svc.announce.Deliver(ctx)
	return sum.String(), err
}

// announceAfter delivers what a successful refresh found.
func (a *App) announceAfter(ctx context.Context, summary string, err error) (string, error) {
	if err != nil {
		return summary, err
	}
	out, derr := a.deliver(ctx)
	return summary + "; " + out, derr
}

// queueDetails queues details fetches, all in one transaction.
func (a *App) queueDetails(ids []int, p queue.Priority) {
	err := a.db.Update(func(tx *store.Tx) error {
		for _, id := range ids {
			if _, err := queue.EnqueueTx(tx, catalog.DetailsRequest(id, p), time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		a.log.Warn("queue details fetches", slog.Any("ids", ids), slog.Any("error", err))
		return
	}
	a.svc.queue.Notify()
}

// commands is the slash-command table.
func (a *App) commands() []*bot.Command {
	an := &bot.Anime{
		Dubs: a.svc.dubs, Catalog: a.svc.catalog, Fallback: a.svc.jikan, AniList: a.svc.anilist, Log: a.log,
		QueueDetails: func(ids []int) { a.queueDetails(ids, queue.High) },
	}
	return append([]*bot.Command{
		an.DubCommand(),
		an.SearchCommand(),
		an.AiringCommand(),
		bot.QueueCommand(queueView{a.svc.queue, a.db}),
		bot.AnnounceCommand(a.svc.announce),
		an.WatchCommand(a.svc.announce),
		bot.SyncCommand(a.svc.sync),
	}, bot.LinkCommands(a.svc.link.ForBot())...)
}

// Job names, as `dubbot refresh` takes them.
const (
	jobDubs     = "dubs"
	jobAiring   = "airing"
	jobSync     = "sync"
	jobSyncTurn = "sync-turn"
	jobReleases = "releases"
	jobAnnounce = "announce"
)

// refreshOrder is what `dubbot refresh all` runs, in order.
var refreshOrder = []string{jobDubs, jobAiring, jobSync}

// jobList is every scheduled job.
func (a *App) jobList() []jobs.Job {
	at4 := 4 * time.Hour
	list := []jobs.Job{
		{
			Name: jobDubs, Daily: &at4,
			AtStart: func(context.Context) bool { return a.svc.dubs.ListAge() > 24*time.Hour },
			Run: func(ctx context.Context) (string, error) {
				sum, err := a.svc.dubs.RefreshList(ctx)
				return a.announceAfter(ctx, sum.String(), err)
			},
		},
		{
			Name: jobAiring, Every: 6 * time.Hour,
			AtStart: func(context.Context) bool {
				_, at := a.svc.dubs.Schedule()
				return time.Since(at) > 6*time.Hour
			},
			Run: func(ctx context.Context) (string, error) {
				sum, err := a.svc.dubs.RefreshAiring(ctx)
				return a.announceAfter(ctx, sum.String(), err)
			},
		},
		{
			// Retries what is pending (after a crash or a Discord outage)
			// and, at start, posts what a refresh recorded while it was down.
			Name: jobAnnounce, Every: 5 * time.Minute,
			AtStart: func(context.Context) bool { return true },
			Run:     a.deliver,
		},
		// On demand only: `dubbot refresh sync` syncs every auto-sync user now.
		{Name: jobSync, Run: a.svc.sync.Cycle},
		// Each user's turn comes once per 25 minutes, spread over the interval.
		{Name: jobSyncTurn, Every: a.svc.sync.TickEvery(), Run: a.svc.sync.Tick},
	}
	if a.cfg.AnimeScheduleToken != "" {
		// Exact release times: announce an episode when its time passes.
		list = append(list, jobs.Job{Name: jobReleases, Every: 5 * time.Minute, Run: func(ctx context.Context) (string, error) {
			sum, err := a.svc.dubs.RecordReleases(ctx)
			return a.announceAfter(ctx, sum, err)
		}})
	}
	return list
}
