// Calls to the backend. The backend exchanges qq.login() codes at api.q.qq.com and hands out
// its own session token; the session_key never reaches the client.

function call(path, data, token) {
  return new Promise((resolve, reject) => {
    qq.request({
      url: getApp().globalData.backend + path,
      method: 'POST',
      data: data,
      header: token ? { Authorization: 'Bearer ' + token } : {},
      success: (res) => {
        if (res.statusCode === 200) {
          resolve(res.data);
        } else {
          reject(res.data || { error: 'http_' + res.statusCode, message: 'HTTP ' + res.statusCode });
        }
      },
      fail: (err) => reject({ error: 'network', message: err.errMsg }),
    });
  });
}

// Logs in: qq.login() gives a single-use code, the backend turns it into a session.
function login() {
  return new Promise((resolve, reject) => {
    qq.login({
      success: (res) => {
        if (!res.code) {
          reject({ error: 'login_failed', message: res.errMsg });
          return;
        }
        call('/api/login', { code: res.code }).then((session) => {
          const app = getApp();
          app.globalData.token = session.token;
          app.globalData.openid = session.openid;
          resolve(session);
        }, reject);
      },
      fail: (err) => reject({ error: 'login_failed', message: err.errMsg }),
    });
  });
}

// Calls a route that needs the session; logs in once more when the backend reports that the
// session or its session_key expired.
function authed(path, data) {
  const run = () => call(path, data, getApp().globalData.token);
  return run().catch((err) => {
    if (err && (err.error === 'session_expired' || err.error === 'unauthorized')) {
      return login().then(run);
    }
    throw err;
  });
}

module.exports = {
  login: login,
  authed: authed,
};
