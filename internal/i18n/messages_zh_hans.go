package i18n

import "golang.org/x/text/language"

// zhHans is the Simplified Chinese catalog (concise UI style, full-width
// punctuation, a space between Chinese and Latin text or numbers). Chinese
// has no plural forms: every message sets Other only.
var zhHans = register(language.SimplifiedChinese, Table{
	// Errors, shown for the library's sentinel errors.
	"error.sso_managed":           {Other: "您的账户使用单点登录（SSO）。密码由您的组织管理。"},
	"error.feature_disabled":      {Other: "此功能已被管理员禁用。"},
	"error.invalid_credentials":   {Other: "当前密码不正确。"},
	"error.too_many_attempts":     {Other: "错误尝试次数过多，请稍后重试。"},
	"error.invalid_token":         {Other: "API 令牌无效、已过期或已停用。"},
	"error.token_not_retrievable": {Other: "无法再次显示您的 API 令牌，请重新生成以获取新令牌。"},
	"error.unsupported_language":  {Other: "不支持此语言。"},
	"error.conflict":              {Other: "您的个人资料已在别处被修改，请重新加载页面后重试。"},
	"error.not_found":             {Other: "未找到该账户。"},
	"error.exists":                {Other: "该账户已存在。"},
	"error.validation_failed":     {Other: "部分字段有误，请检查。"},
	"error.invalid_user_id":       {Other: "用户 ID 无效。"},
	"error.internal":              {Other: "系统出现错误，请稍后重试。"},

	// Profile field violations.
	"violation.required":          {Other: "此字段为必填项。"},
	"violation.too_long":          {Other: "最多只能输入 %d 个字符。"},
	"violation.invalid_utf8":      {Other: "此文本包含无效的字符编码。"},
	"violation.control_chars":     {Other: "此文本不得包含控制字符或换行符。"},
	"violation.invalid_email":     {Other: "请输入一个有效的电子邮件地址，例如 name@example.com。"},
	"violation.read_only":         {Other: "此字段由您的组织管理，无法在此处更改。"},
	"violation.unknown_attribute": {Other: "此字段不存在。"},
	"violation.not_an_option":     {Other: "请从提供的选项中选择一项。"},

	// Password violations (the message the page shows under the form).
	"password.too_short":              {Other: "请至少使用 %d 个字符。"},
	"password.too_long":               {Other: "最多只能使用 %d 个字符。"},
	"password.min_upper":              {Other: "请至少包含 %d 个大写字母。"},
	"password.min_lower":              {Other: "请至少包含 %d 个小写字母。"},
	"password.min_digit":              {Other: "请至少包含 %d 个数字。"},
	"password.min_symbol":             {Other: "请至少包含 %d 个符号，例如 ! 或 #。"},
	"password.max_repeat":             {Other: "同一字符不得连续重复超过 %d 次。"},
	"password.contains_personal":      {Other: "密码中请勿包含您的姓名、用户名或电子邮件地址。"},
	"password.reused":                 {Other: "新密码不能与最近使用过的 %d 个密码相同。"},
	"password.common":                 {Other: "此密码过于常见，容易被猜到，请另选一个。"},
	"password.invalid_utf8":           {Other: "密码包含无效的字符编码。"},
	"password.disallowed_chars":       {Other: "密码包含不允许使用的字符：%s"},
	"password.disallowed_combination": {Other: "密码包含不允许使用的字符组合。"},
	"password.mismatch":               {Other: "新密码与确认密码不一致。"},
	"password.same_as_current":        {Other: "新密码不能与当前密码相同。"},
	"password.required":               {Other: "请输入密码。"},
	"password.current_required":       {Other: "请输入当前密码。"},

	// Password rule descriptions, shown beside the form before the user types.
	"describe.min_length": {Other: "至少 %d 个字符"},
	"describe.max_length": {Other: "最多 %d 个字符"},
	"describe.min_upper":  {Other: "至少 %d 个大写字母"},
	"describe.min_lower":  {Other: "至少 %d 个小写字母"},
	"describe.min_digit":  {Other: "至少 %d 个数字"},
	"describe.min_symbol": {Other: "至少 %d 个符号，例如 ! 或 #"},
	"describe.max_repeat": {Other: "同一字符连续重复不超过 %d 次"},
	"describe.personal":   {Other: "不包含您的姓名、用户名或电子邮件地址"},
	"describe.history":    {Other: "不同于最近使用过的 %d 个密码"},
	"describe.blocklist":  {Other: "不是常用密码"},

	// Labels of the My Profile page, for hosts that render it.
	"ui.title":                    {Other: "我的个人资料"},
	"ui.tab.personal_info":        {Other: "个人信息"},
	"ui.tab.preferences":          {Other: "偏好设置"},
	"ui.tab.password":             {Other: "密码"},
	"ui.tab.api_token":            {Other: "API 令牌"},
	"ui.field.first_name":         {Other: "名字"},
	"ui.field.last_name":          {Other: "姓氏"},
	"ui.field.email":              {Other: "电子邮件"},
	"ui.field.username":           {Other: "用户名"},
	"ui.field.language":           {Other: "语言"},
	"ui.field.current_password":   {Other: "当前密码"},
	"ui.field.new_password":       {Other: "新密码"},
	"ui.field.confirm_password":   {Other: "确认新密码"},
	"ui.save":                     {Other: "保存"},
	"ui.saved":                    {Other: "您的更改已保存。"},
	"ui.password_changed":         {Other: "您的密码已更改。"},
	"ui.read_only_hint":           {Other: "由您的组织管理"},
	"ui.password_rules":           {Other: "您的密码必须符合以下规则："},
	"ui.token.intro":              {Other: "使用此令牌，无需 Web 客户端即可调用 API。"},
	"ui.token.copy":               {Other: "复制到剪贴板"},
	"ui.token.copied":             {Other: "已复制到剪贴板。"},
	"ui.token.regenerate":         {Other: "重新生成"},
	"ui.token.none":               {Other: "您还没有 API 令牌。"},
	"ui.token.shown_once":         {Other: "请立即复制此令牌，它将不会再次显示。"},
	"ui.token.regenerate_warning": {Other: "重新生成 API 令牌前请务必谨慎。使用当前令牌的集成在更新为新令牌之前将无法正常工作。"},
	"ui.token.regenerated":        {Other: "已生成新的 API 令牌。之前的令牌已失效。"},
	"ui.cancel":                   {Other: "取消"},
	"ui.confirm":                  {Other: "确认"},
})
