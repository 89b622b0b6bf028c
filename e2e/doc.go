// Package e2e deploys the app with the real, pinned aws-cdk CLI into moto's
// server mode (an implementation of the AWS APIs running on 127.0.0.1) and
// checks the result with the AWS SDK for Go v2. Its tests carry the build tag
// e2e and run through `make e2e` (part of `make test`), which installs moto
// into .venv first.
package e2e
