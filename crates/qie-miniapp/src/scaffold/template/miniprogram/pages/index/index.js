const api = require('../../utils/api.js');

Page({
  data: {
    status: 'loading',
    openid: '',
    error: '',
    text: '',
    verdict: '',
  },

  onLoad() {
    this.login();
  },

  login() {
    this.setData({ status: 'loading', error: '' });
    api.login().then(
      (session) => this.setData({ status: 'ready', openid: session.openid }),
      (err) => this.setData({ status: 'error', error: err.message || err.error }),
    );
  },

  onInput(event) {
    this.setData({ text: event.detail.value });
  },

  check() {
    api.authed('/api/check-text', { content: this.data.text }).then(
      (result) => this.setData({ verdict: result.risky ? '内容有风险' : '内容正常' }),
      (err) => this.setData({ error: err.message || err.error }),
    );
  },

  openProfile() {
    qq.navigateTo({ url: '/pages/profile/profile' });
  },
});
