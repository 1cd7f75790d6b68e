package profile

// SetHashHook makes s call f once per password hash computation (argon2id
// or bcrypt, real or dummy), so that tests can count them. Call it before
// s is used.
func SetHashHook(s *Service, f func()) { s.pw.onHash = f }
