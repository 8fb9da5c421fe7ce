package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"dubbot/ratelimit"
	"dubbot/secret"
)

func nonEmpty(dst *string, v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	*dst = v
	return nil
}

func hostPort(dst *string, v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return errors.New("want host:port, for example 127.0.0.1:8080 or :8080")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("host %q is not a host name or IP address", host)
	}
	*dst = v
	return nil
}

func absURL(dst *string, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an absolute http(s) URL")
	}
	*dst = strings.TrimRight(v, "/")
	return nil
}

func secretKey(dst *[]byte, v string) error {
	if v == "" {
		return nil
	}
	k, err := secret.ParseKey(v)
	if err != nil {
		return err
	}
	*dst = k
	return nil
}

func snowflake(dst *string, v string) error {
	if v == "" {
		return nil
	}
	if _, err := strconv.ParseUint(v, 10, 64); err != nil {
		return errors.New("want a Discord id (digits only)")
	}
	*dst = v
	return nil
}

func snowflakes(dst *[]string, v string) error {
	var ids []string
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var id string
		if err := snowflake(&id, part); err != nil {
			return fmt.Errorf("%q: %w", part, err)
		}
		ids = append(ids, id)
	}
	*dst = ids
	return nil
}

func logLevel(dst *slog.Level, v string) error {
	if err := dst.UnmarshalText([]byte(v)); err != nil {
		return errors.New("want debug, info, warn or error")
	}
	return nil
}

func oneOf(dst *string, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			*dst = v
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(allowed, ", "))
}

func intRange(dst *int, v string, lo, hi int) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return fmt.Errorf("want a whole number from %d to %d", lo, hi)
	}
	*dst = n
	return nil
}

func publicKey(dst *ed25519.PublicKey, v string) error {
	if v == "" {
		return nil
	}
	k, err := hex.DecodeString(v)
	if err != nil || len(k) != ed25519.PublicKeySize {
		return fmt.Errorf("want the application's public key: %d hex characters", 2*ed25519.PublicKeySize)
	}
	*dst = k
	return nil
}

func rateSpec(dst *[]ratelimit.Rate, v string) error {
	rates, err := ratelimit.Parse(v)
	if err != nil {
		return err
	}
	*dst = rates
	return nil
}
