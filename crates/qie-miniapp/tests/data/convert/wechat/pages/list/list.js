Page({
  pay(order) {
    wx.requestPayment({
      timeStamp: order.timeStamp,
      nonceStr: order.nonceStr,
      package: order.package,
      signType: 'RSA',
      paySign: order.paySign,
    });
  },
  watchLive() {
    wx.openChannelsLive({ finderUserName: 'shop' });
  },
  openPartner() {
    wx.navigateToMiniProgram({ appId: 'wx0123456789abcdef', path: 'pages/index/index' });
  },
});
