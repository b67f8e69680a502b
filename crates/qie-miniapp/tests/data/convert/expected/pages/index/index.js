const { request } = require('../../utils/request.js');

Page({
  data: {
    products: [],
    class: 'featured',
    loading: true,
  },
  onLoad() {
    request('/products').then((products) => {
      this.setData({ products, loading: false });
    });
  },
  onShareAppMessage() {
    return { title: 'Shop', path: '/pages/index/index' };
  },
  open(event) {
    qq.navigateTo({ url: `/pages/detail/detail?id=${event.currentTarget.dataset.id}` });
  },
});
