<qs src="../../utils/format.qs" module="format" />
<qs module="labels">
var math = require('../../utils/math.qs');
module.exports = {
  discount: function (value) { return math.round(value * 100, 0) + '%'; }
};
</qs>
<import src="../../templates/item.qml" />

<view class="{{class}}">
  <block qq:if="{{loading}}">
    <text>Loading…</text>
  </block>
  <block qq:else>
    <view qq:for="{{products}}" qq:for-item="product" qq:for-index="position" qq:key="id" data-id="{{product.id}}" bindtap="open">
      <template is="item" data="{{...product}}" />
      <text>{{position + 1}}. {{format.price(product.price)}} {{labels.discount(product.discount)}}</text>
    </view>
    <view qq:for-items="{{[1, 2, 3]}}" qq:key="*this">{{item}}</view>
  </block>
  <card title="Today">
    <text slot="header">Deals</text>
  </card>
  <button open-type="share">Share</button>
</view>
<include src="footer.qml" />
