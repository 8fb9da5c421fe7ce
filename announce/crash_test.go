package announce

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"dubbot/bot/discord"
	"dubbot/bot/discord/discordtest"
	"dubbot/store"
)

// The child process's settings: where the store is and the fake's API.
const (
	envChildStore = "ANNOUNCE_CHILD_STORE"
	envChildAPI   = "ANNOUNCE_CHILD_API"
)

// TestDeliverChild is the deliverer the crash test runs, and kills, in a
// child process. It does nothing in a normal test run.
func TestDeliverChild(t *testing.T) {
	dir, api := os.Getenv(envChildStore), os.Getenv(envChildAPI)
	if dir == "" || api == "" {
		t.Skip("run by TestFanOutSurvivesSIGKILL")
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := New(db, Config{Poster: discord.NewREST(api, discordtest.DefaultBotToken, nil, nil)})
	sum, err := svc.Deliver(context.Background())
	if err != nil || sum.Pending != 0 {
		t.Fatalf("Deliver: %s, %v", sum, err)
	}
}

// TestFanOutSurvivesSIGKILL kills the deliverer in the middle of a
// fan-out to 200 servers, runs it again, and expects exactly one post in
// every channel: entries the store had not marked delivered are sent
// again with the same nonce, and the fake Discord drops those repeats.
func TestFanOutSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process for about 5 s")
	}
	const servers = 200
	fake := discordtest.New()
	defer fake.Close()
	dir := t.TempDir()
	seed(t, dir, servers)

	child := startChild(t, dir, fake.APIURL())
	waitPosts(t, fake, child, servers/4)
	if err := child.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.cmd.Wait()
	waitAnswered(t, fake)
	posted := totalPosts(fake, servers)
	if posted >= servers {
		t.Fatalf("the child posted all %d before it was killed", posted)
	}
	recorded := recordedSends(t, dir)
	t.Logf("killed after %d posts, %d of them recorded as sent", posted, recorded)

	if err := startChild(t, dir, fake.APIURL()).wait(); err != nil {
		t.Fatalf("second run: %v", err)
	}
	for i := range servers {
		if n := len(fake.Messages(channelID(i))); n != 1 {
			t.Errorf("channel %d has %d posts, want exactly 1", i, n)
		}
	}
	if got, want := fake.NonceDedupes(), posted-recorded; got != want {
		t.Errorf("%d resends deduplicated by nonce, want %d (posted but not recorded before the kill)", got, want)
	}
}

// seed writes the subscriptions and one event into a fresh store.
func seed(t testing.TB, dir string, servers int) {
	t.Helper()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC()
	err = db.Update(func(tx *store.Tx) error {
		for i := range servers {
			sub := Subscription{GuildID: guildID(i), ChannelID: channelID(i), Events: FilterAll, Since: now}
			if err := tx.Put(store.BucketSubscriptions, sub.GuildID, sub); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = recordEvents(db, episode(52991, 6, now, "airing/1"))
	}
	if err != nil {
		t.Fatal(err)
	}
}

type childProc struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func startChild(t *testing.T, dir, api string) *childProc {
	t.Helper()
	c := &childProc{}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestDeliverChild$", "-test.v")
	c.cmd.Env = append(os.Environ(), envChildStore+"="+dir, envChildAPI+"="+api)
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.cmd.Process.Kill() }) // a no-op once it has exited
	return c
}

func (c *childProc) wait() error {
	if err := c.cmd.Wait(); err != nil {
		return &childError{err: err, out: c.out.String()}
	}
	if !strings.Contains(c.out.String(), "--- PASS: TestDeliverChild") {
		return &childError{out: c.out.String()}
	}
	return nil
}

type childError struct {
	err error
	out string
}

func (e *childError) Error() string {
	return fmt.Sprintf("child deliverer failed (%v); output:\n%s", e.err, e.out)
}

// waitPosts waits until the fake has at least n posts.
func waitPosts(t *testing.T, fake *discordtest.Server, c *childProc, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for fake.RequestCount("POST", "/channels/{id}/messages") < n {
		if time.Now().After(deadline) {
			t.Fatalf("no %d posts within 30 s; child output:\n%s", n, c.out.String())
		}
		time.Sleep(time.Millisecond)
	}
}

// waitAnswered waits until the fake has answered every request, so a post
// the killed child sent is counted even if nobody read the answer.
func waitAnswered(t *testing.T, fake *discordtest.Server) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		open := 0
		for _, r := range fake.Requests() {
			if r.Status == 0 {
				open++
			}
		}
		if open == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests still unanswered", open)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func totalPosts(fake *discordtest.Server, servers int) int {
	n := 0
	for i := range servers {
		n += len(fake.Messages(channelID(i)))
	}
	return n
}

// recordedSends counts the delivery records marked sent.
func recordedSends(t *testing.T, dir string) int {
	t.Helper()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	err = db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketOutbox, donePrefix, func(_ string, raw []byte) error {
			var rec record
			if err := decode(raw, &rec); err != nil {
				return err
			}
			if rec.State == stateSent {
				n++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
