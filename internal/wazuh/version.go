package wazuh

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const infoEndpoint = "/"

// SupportedMajor is the Wazuh API major version this client speaks.
const SupportedMajor = 4

// Info is the answer of GET / (API basic information).
type Info struct {
	Title       string     `json:"title"`
	APIVersion  string     `json:"api_version"`
	Revision    FlexString `json:"revision"`
	LicenseName string     `json:"license_name"`
	LicenseURL  string     `json:"license_url"`
	Hostname    string     `json:"hostname"`
	Timestamp   string     `json:"timestamp"`
	// Parsed from APIVersion ("4.14.7" or "v4.14.7").
	Major, Minor, Patch int `json:"-"`
}

// Info returns GET / (cached like other slow-changing data). For a Manager
// whose major version is not 4 it returns the info and an error matching
// ErrUnsupportedVersion that names the version.
func (c *Client) Info(ctx context.Context) (Info, error) {
	r, err := c.newRequest(http.MethodGet, infoEndpoint, nil, nil, nil)
	if err != nil {
		return Info{}, err
	}
	resp, err := c.read(ctx, r)
	if err != nil {
		return Info{}, err
	}
	info, err := parseInfo(resp.body)
	if err != nil {
		return Info{}, err
	}
	if info.Major != SupportedMajor {
		return info, &UnsupportedVersionError{APIVersion: info.APIVersion}
	}
	return info, nil
}

// Ping measures one uncached round trip to GET / and checks the version.
func (c *Client) Ping(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	_, err := c.Info(WithoutCache(ctx))
	return time.Since(start), err
}

// parseInfo accepts the real shape {"data":{…},"error":0} and the flat shape
// of the spec's example.
func parseInfo(body []byte) (Info, error) {
	var env struct {
		Data *Info `json:"data"`
	}
	var info Info
	if err := json.Unmarshal(body, &env); err == nil && env.Data != nil && env.Data.APIVersion != "" {
		info = *env.Data
	} else if err := json.Unmarshal(body, &info); err != nil || info.APIVersion == "" {
		return Info{}, fmt.Errorf("wazuh: GET / did not return an api_version: is this the Wazuh Manager API?")
	}
	var err error
	info.Major, info.Minor, info.Patch, err = parseVersion(info.APIVersion)
	if err != nil {
		return info, err
	}
	return info, nil
}

// parseVersion reads "v4.14.7", "4.14.7" or "4.14.7-rc1".
func parseVersion(v string) (major, minor, patch int, err error) {
	s := strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexAny(s, "-+ "); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	nums := make([]int, 3)
	for i := 0; i < len(parts) && i < 3; i++ {
		if nums[i], err = strconv.Atoi(parts[i]); err != nil {
			return 0, 0, 0, fmt.Errorf("wazuh: unrecognised API version %q", v)
		}
	}
	return nums[0], nums[1], nums[2], nil
}
