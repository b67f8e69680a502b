<view class="detail">Item {{id}}</view>
