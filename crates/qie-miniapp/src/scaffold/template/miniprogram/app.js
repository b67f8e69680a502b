const config = require('./config.js');

App({
  globalData: {
    backend: config.backend,
    // The backend's own session token and the user's openid, set by utils/api.js login().
    token: '',
    openid: '',
  },
});
