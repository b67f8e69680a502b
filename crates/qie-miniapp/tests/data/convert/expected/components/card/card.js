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
      return qq.createSelectorQuery().in(this).select('.card');
    },
  },
});
