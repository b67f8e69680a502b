const api = require('../../utils/api.js');

Page({
  data: {
    openid: '',
    nickName: '',
    avatarUrl: '',
    error: '',
  },

  onShow() {
    this.setData({ openid: getApp().globalData.openid });
  },

  // The button's getuserinfo event carries rawData, signature, encryptedData and iv; the
  // backend checks the signature and decrypts the data with the user's session_key.
  onUserInfo(event) {
    const detail = event.detail;
    if (!detail.encryptedData) {
      this.setData({ error: detail.errMsg || '未授权' });
      return;
    }
    api.authed('/api/user-info', {
      rawData: detail.rawData,
      signature: detail.signature,
      encryptedData: detail.encryptedData,
      iv: detail.iv,
    }).then(
      (profile) => this.setData({
        openid: profile.openid,
        nickName: profile.nickName,
        avatarUrl: profile.avatarUrl,
        error: '',
      }),
      (err) => this.setData({ error: err.message || err.error }),
    );
  },
});
