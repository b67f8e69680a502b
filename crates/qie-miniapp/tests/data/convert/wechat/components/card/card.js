Component({
  options: {
    virtualHost: true,
    multipleSlots: true,
  },
  properties: {
    title: String,
  },
  methods: {
    measure() {
      return wx.createSelectorQuery().in(this).select('.card');
    },
  },
});
