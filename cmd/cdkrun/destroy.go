package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/smithy-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
)

// destroy synthesizes with the user's settings, checks that each stack
// exists where the app would deploy it, and only then runs cdk destroy on
// that assembly.
// With several stacks (regions), those that exist are destroyed and the
// others named; none existing is an error.
func destroy(extra cdkcli.Words) int {
	stacks, code := synthesize(extra)
	if code != 0 {
		return code
	}
	var existing, missing []cdkcli.Stack
	for _, st := range stacks {
		if named := extra.Stacks(); len(named) > 0 && !slices.Contains(named, st.Name) {
			continue // the words name other stacks
		}
		exists, err := stackExists(context.Background(), st, extra.Profile())
		if err != nil {
			fmt.Fprintf(os.Stderr, "error: looking up stack %s in %s: %v\n", st.Name, st.Region, err)
			return 1
		}
		if exists {
			existing = append(existing, st)
		} else {
			missing = append(missing, st)
		}
	}
	if len(existing) == 0 && len(missing) > 0 {
		st := missing[0]
		fmt.Fprintf(os.Stderr, "error: stack %s does not exist in %s, so there is nothing to destroy there; if you deployed it elsewhere, give make destroy the same region (-c region=... or AWS_REGION) and -c stackName=... as make deploy\n", st.Name, st.Region)
		return 1
	}
	for _, st := range missing {
		fmt.Fprintf(os.Stderr, "note: stack %s does not exist in %s; destroying the others\n", st.Name, st.Region)
	}
	project, err := cdkcli.ProjectContext(cdkcli.ProjectFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	return cdk(destroyWords(extra, existing, missing, project), false)
}

// destroyWords are the CLI's words for destroying the existing stacks of
// the assembly in cdk.out: when some are missing, the existing ones by name
// in place of the user's selection; else the user's selection (every stack
// of several regions unless it names some).
func destroyWords(extra cdkcli.Words, existing, missing []cdkcli.Stack, project map[string]json.RawMessage) []string {
	if len(missing) == 0 {
		return cliWords("destroy", fromAssembly(withAll(extra, project)))
	}
	words := extra.WithoutStacks()
	for _, st := range existing {
		words = append(words, st.Name)
	}
	return cliWords("destroy", fromAssembly(words))
}

// fromAssembly points the CLI at the assembly destroy has just synthesized
// into cdk.out, in place of any app the words name: the CLI would otherwise
// run the app again for the same settings (1.5-3 s).
func fromAssembly(words []string) []string {
	out := []string{"--app", outdir}
	for i := 0; i < len(words); i++ {
		switch w := words[i]; {
		case w == "-a" || w == "--app":
			i++ // and its value
		case strings.HasPrefix(w, "--app="), strings.HasPrefix(w, "-a="):
		default:
			out = append(out, w)
		}
	}
	return out
}

// stackExists asks CloudFormation in the stack's region, with the
// credentials and endpoint the AWS SDKs (and the CLI) take from the
// environment and the shared config.
func stackExists(ctx context.Context, st cdkcli.Stack, profile string) (bool, error) {
	client, err := cloudFormation(ctx, st.Region, profile)
	if err != nil {
		return false, err
	}
	out, err := client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &st.Name})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && strings.Contains(apiErr.ErrorMessage(), "does not exist") {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, s := range out.Stacks {
		if s.StackStatus != "DELETE_COMPLETE" {
			return true, nil
		}
	}
	return false, nil
}

// cloudFormation is a client for the region, with the credentials and
// endpoint the AWS SDKs (and the CLI) take from the environment and the
// shared config, and the profile if one is named.
func cloudFormation(ctx context.Context, region, profile string) (*cloudformation.Client, error) {
	opts := []func(*config.LoadOptions) error{config.WithRegion(region)}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return cloudformation.NewFromConfig(cfg), nil
}
