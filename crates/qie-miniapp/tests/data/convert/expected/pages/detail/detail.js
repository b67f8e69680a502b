Page({
  onLoad(query) {
    this.setData({ id: query.id });
    qq.setNavigationBarTitle({ title: 'Item ' + query.id });
  },
});
