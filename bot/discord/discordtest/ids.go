package discordtest

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"
	"time"
)

// discordEpoch is the first millisecond of 2015 in Unix milliseconds, the
// zero point of Discord snowflakes.
const discordEpoch = 1420070400000

// Default identities used when Config leaves a field empty. They are valid
// snowflakes so code that parses ids keeps working.
const (
	DefaultAppID     = "1200000000000000001"
	DefaultBotToken  = "fake-bot-token"
	DefaultOwnerID   = "1200000000000000002"
	DefaultGuildID   = "1200000000000000100"
	DefaultChannelID = "1200000000000000200"
	DefaultUserID    = "1200000000000000300"
)

// idSource hands out unique snowflakes and interaction tokens.
type idSource struct {
	counter atomic.Uint64
}

// snowflake returns a new id whose timestamp bits are the current time, as
// Discord's are, so ids sort by creation.
func (s *idSource) snowflake() string {
	ms := uint64(time.Now().UnixMilli() - discordEpoch)
	n := s.counter.Add(1)
	return strconv.FormatUint(ms<<22|n&(1<<22-1), 10)
}

// token returns a new opaque interaction token.
func (s *idSource) token() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24.
	return "itoken." + strconv.FormatUint(s.counter.Add(1), 10) + "." + hex.EncodeToString(b[:])
}
