Page({
  pay(order) {
    qq.requestPayment({
      timeStamp: order.timeStamp,
      nonceStr: order.nonceStr,
      package: order.package,
      signType: 'RSA',
      paySign: order.paySign,
    });
  },
  watchLive() {
    qq.openChannelsLive({ finderUserName: 'shop' });
  },
  openPartner() {
    qq.navigateToMiniProgram({ appId: 'wx0123456789abcdef', path: 'pages/index/index' });
  },
});
