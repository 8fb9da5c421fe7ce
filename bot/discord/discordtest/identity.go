package discordtest

import "net/http"

// getGateway answers GET /gateway, which discordgo's Open uses to find
// the websocket.
func (s *Server) getGateway(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"url": s.GatewayURL()})
}

// getGatewayBot answers GET /gateway/bot with one shard and a fresh
// session start limit.
func (s *Server) getGatewayBot(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]any{
			"total":           1000,
			"remaining":       1000,
			"reset_after":     86400000,
			"max_concurrency": 1,
		},
	})
}

// getMe answers GET /users/@me with the bot user.
func (s *Server) getMe(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.botUser())
}

// getApplication answers GET /oauth2/applications/@me.
func (s *Server) getApplication(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"id":                     s.cfg.AppID,
		"name":                   s.cfg.BotName,
		"icon":                   nil,
		"description":            "",
		"bot_public":             true,
		"bot_require_code_grant": false,
		"owner":                  userObject(s.cfg.OwnerID, "owner"),
		"team":                   nil,
		"verify_key":             "0000000000000000000000000000000000000000000000000000000000000000",
		"flags":                  0,
		"bot":                    s.botUser(),
	})
}
