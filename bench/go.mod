module github.com/profilekit/profile/bench

go 1.26.0

replace (
	github.com/profilekit/profile => ..
	github.com/profilekit/profile/store/postgres => ../store/postgres
	github.com/profilekit/profile/store/sqlite => ../store/sqlite
)

require (
	github.com/jackc/pgx/v5 v5.12.0
	github.com/profilekit/profile v0.0.0
	github.com/profilekit/profile/store/postgres v0.0.0-00010101000000-000000000000
	github.com/profilekit/profile/store/sqlite v0.0.0-00010101000000-000000000000
	github.com/stretchr/testify v1.11.1
	github.com/trustelem/zxcvbn v1.0.1
	github.com/wagslane/go-password-validator v0.3.0
	go.uber.org/goleak v1.3.0
	golang.org/x/crypto v0.59.0
	golang.org/x/text v0.44.0
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/dlclark/regexp2 v1.12.0 // indirect
	github.com/dustin/go-humanize v1.1.0 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/hashicorp/errwrap v1.0.0 // indirect
	github.com/hashicorp/go-multierror v1.1.1 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/ncruces/go-strftime v1.1.0 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	github.com/test-go/testify v1.1.4 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
	modernc.org/libc v1.80.1 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.12.1 // indirect
	modernc.org/sqlite v1.62.0 // indirect
)
