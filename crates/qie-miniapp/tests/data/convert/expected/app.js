// App entry. The avatar host "wx.qlogo.cn" below must stay as it is.
const AVATAR_HOST = "wx.qlogo.cn";

App({
  globalData: { user: null, avatarHost: AVATAR_HOST },
  onLaunch() {
    /* Log in once: wx.login gives a code for the backend. */
    qq.login({
      success: (res) => {
        this.globalData.code = res.code;
      },
    });
    const token = qq.getStorageSync('token');
    if (!token) {
      qq.showToast({ title: 'wx.login needed', icon: 'none' });
    }
  },
});
