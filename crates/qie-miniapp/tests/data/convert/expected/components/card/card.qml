<view class="card">
  <view class="card-title">{{title}}</view>
  <slot name="header"></slot>
  <slot>
    <text>No content yet</text>
  </slot>
</view>
