package httpapi

import (
	"net/http"

	mcpauth "github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// wellKnownResource is the RFC 9728 protected resource metadata path.
const wellKnownResource = "/.well-known/oauth-protected-resource"

// wellKnown serves the protected resource metadata (oauth mode) at the root
// well-known path and at the path-inserted form for /mcp, which is where
// MCP clients look first for a server at https://host/mcp.
func (a *authLayer) wellKnown(mux *http.ServeMux) {
	h := mcpauth.ProtectedResourceMetadataHandler(&oauthex.ProtectedResourceMetadata{
		Resource:               a.opts.ResourceURL,
		AuthorizationServers:   a.opts.AuthorizationServers,
		ScopesSupported:        []string{a.opts.ReadScope, a.opts.WriteScope},
		BearerMethodsSupported: []string{"header"},
		ResourceName:           "Wazuh MCP Server",
	})
	mux.Handle(wellKnownResource, h)
	mux.Handle(wellKnownResource+"/mcp", h)
}
