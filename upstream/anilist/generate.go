package anilist

// Regenerate internal/gql/generated.go after editing queries.graphql or schema.graphql.
//go:generate go run github.com/Khan/genqlient genqlient.yaml
