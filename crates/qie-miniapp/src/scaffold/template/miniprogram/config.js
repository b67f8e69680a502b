// Address of the backend (the server/ directory of this project).
// QQ requires https and a domain listed in the console for release builds; the local http
// address works in the devtools with "do not check domains" (urlCheck: false).
module.exports = {
  backend: "__QIE_BACKEND__",
};
