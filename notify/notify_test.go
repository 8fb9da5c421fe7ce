package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dubbot/bot/discord"
	"dubbot/store"
)

type fakeSender struct {
	refuse map[string]bool
	sent   []string
	tries  int
}

func (f *fakeSender) SendDM(ctx context.Context, userID string, m discord.Message) error {
	f.tries++
	if f.refuse[userID] {
		return &discord.APIError{Status: 403, Code: discord.CodeCannotMessageUser, Message: "Cannot send messages to this user"}
	}
	f.sent = append(f.sent, userID+": "+m.Content)
	return nil
}

func newService(t *testing.T, sender Sender) *Service {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db, sender, nil)
}

func TestRefusedDMsAreTriedOnceThenBecomeNotices(t *testing.T) {
	sender := &fakeSender{refuse: map[string]bool{"closed": true}}
	s := newService(t, sender)
	ctx := context.Background()
	if err := s.DM(ctx, "open", discord.Message{Content: "hello"}, "hello"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		err := s.DM(ctx, "closed", discord.Message{Content: "re-authorize"}, "Please re-authorize MAL.")
		if !errors.Is(err, ErrDMsClosed) {
			t.Fatalf("DM %d to closed user: %v", i, err)
		}
	}
	if sender.tries != 2 {
		t.Errorf("%d DM attempts; want 1 for the open user and 1 for the closed one", sender.tries)
	}
	// The refusal belongs to that user only: the open user is still DMed.
	if err := s.DM(ctx, "open", discord.Message{Content: "again"}, "again"); err != nil || sender.tries != 3 {
		t.Errorf("DM to the open user after another's refusal: %v, %d attempts", err, sender.tries)
	}
	notices := s.TakeNotices("closed")
	if len(notices) != 3 || !strings.Contains(notices[0], "re-authorize") {
		t.Errorf("notices = %v", notices)
	}
	if again := s.TakeNotices("closed"); len(again) != 0 {
		t.Errorf("notices shown twice: %v", again)
	}
	// A week later the user may have opened their DMs: one more try.
	s.now = func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }
	s.DM(ctx, "closed", discord.Message{Content: "later"}, "later")
	if sender.tries != 4 {
		t.Errorf("%d DM attempts after a week; want one more try", sender.tries)
	}
}

func TestWithoutDiscordEveryDMIsANotice(t *testing.T) {
	s := newService(t, nil)
	if err := s.DM(context.Background(), "u", discord.Message{Content: "x"}, "x"); !errors.Is(err, ErrDMsClosed) {
		t.Fatalf("err = %v", err)
	}
	if n := s.TakeNotices("u"); len(n) != 1 {
		t.Errorf("notices = %v", n)
	}
}
