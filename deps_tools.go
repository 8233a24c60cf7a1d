//go:build tools

// Package main pins the dependencies chosen in DESIGN.md while the packages
// that use them are being written, so go.mod stays complete for everyone.
package main

import (
	_ "github.com/getkin/kin-openapi/openapi3filter"
	_ "github.com/golang-jwt/jwt/v5"
	_ "github.com/google/jsonschema-go/jsonschema"
	_ "github.com/modelcontextprotocol/go-sdk/mcp"
	_ "github.com/opensearch-project/opensearch-go/v4/opensearchapi"
	_ "github.com/sony/gobreaker/v2"
	_ "github.com/spf13/cobra"
	_ "golang.org/x/sync/singleflight"
	_ "golang.org/x/time/rate"
	_ "gopkg.in/yaml.v3"
)
