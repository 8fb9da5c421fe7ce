// Package notify sends users direct messages without tripping Discord's
// invalid-request limit: a user whose DMs refused us (error 50007) is not
// DMed again for a week, and what we wanted to say waits as a notice shown
// after their next command.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"dubbot/bot/discord"
	"dubbot/store"
)

// Sender sends a DM; discord.REST implements it.
type Sender interface {
	SendDM(ctx context.Context, userID string, m discord.Message) error
}

// User is what the store keeps per Discord user for messaging.
type User struct {
	DMsRefused   bool      `json:"dms_refused,omitempty"`
	RefusedAt    time.Time `json:"refused_at,omitzero"`
	Notices      []string  `json:"notices,omitempty"`
	NoticesSince time.Time `json:"notices_since,omitzero"`
}

// maxNotices bounds the notices kept for one user.
const maxNotices = 5

// refusalLasts is how long a refusal is trusted: people open their DMs
// again, and one try a week per user costs nothing against Discord's limit.
const refusalLasts = 7 * 24 * time.Hour

// Service sends DMs and keeps notices.
type Service struct {
	db     *store.DB
	sender Sender // nil: no Discord connection, every DM becomes a notice
	log    *slog.Logger
	now    func() time.Time
}

// New makes the service; sender may be nil (console mode).
func New(db *store.DB, sender Sender, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, sender: sender, log: log, now: time.Now}
}

// ErrDMsClosed means the message was kept as a notice instead of sent.
var ErrDMsClosed = errors.New("the user does not accept DMs from the bot")

// DM sends m to a user. When their DMs are closed, or we know they are, the
// text becomes a notice for their next command and ErrDMsClosed is
// returned; no request is made for a user known to refuse.
func (s *Service) DM(ctx context.Context, userID string, m discord.Message, notice string) error {
	u, err := s.user(userID)
	if err != nil {
		return err
	}
	if s.refuses(u) || s.sender == nil {
		return s.keepNotice(userID, notice, false)
	}
	err = s.sender.SendDM(ctx, userID, m)
	if discord.ErrorCode(err) == discord.CodeCannotMessageUser {
		s.log.Info("user refuses DMs; will not DM again", slog.String("user_id", userID))
		return s.keepNotice(userID, notice, true)
	}
	if err != nil {
		return fmt.Errorf("DM user %s: %w", userID, err)
	}
	return nil
}

func (s *Service) keepNotice(userID, notice string, refused bool) error {
	err := s.update(userID, func(u *User) {
		if refused {
			u.DMsRefused, u.RefusedAt = true, s.now().UTC()
		}
		if notice != "" {
			if len(u.Notices) == 0 {
				u.NoticesSince = s.now().UTC()
			}
			u.Notices = append(u.Notices, notice)
			if len(u.Notices) > maxNotices {
				u.Notices = u.Notices[len(u.Notices)-maxNotices:]
			}
		}
	})
	if err != nil {
		return err
	}
	return ErrDMsClosed
}

// TakeNotices returns and forgets a user's pending notices; the router
// calls it after every command.
func (s *Service) TakeNotices(userID string) []string {
	// Most users have none: a read costs no disk write, so check first.
	if u, err := s.user(userID); err != nil || len(u.Notices) == 0 {
		return nil
	}
	var out []string
	err := s.update(userID, func(u *User) {
		out = u.Notices
		u.Notices, u.NoticesSince = nil, time.Time{}
	})
	if err != nil {
		s.log.Warn("read notices", slog.String("user_id", userID), slog.Any("error", err))
		return nil
	}
	return out
}

func (s *Service) refuses(u User) bool {
	return u.DMsRefused && s.now().Sub(u.RefusedAt) < refusalLasts
}

func (s *Service) user(id string) (User, error) {
	var u User
	err := s.db.View(func(tx *store.Tx) error {
		_, err := tx.Get(store.BucketUsers, "notify/"+id, &u)
		return err
	})
	return u, err
}

func (s *Service) update(id string, change func(*User)) error {
	return s.db.Update(func(tx *store.Tx) error {
		var u User
		if _, err := tx.Get(store.BucketUsers, "notify/"+id, &u); err != nil {
			return err
		}
		before := fmt.Sprint(u)
		change(&u)
		if fmt.Sprint(u) == before {
			return nil
		}
		return tx.Put(store.BucketUsers, "notify/"+id, u)
	})
}
