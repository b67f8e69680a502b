<template name="item">
  <view class="row">
    <text qq:if="{{stock > 10}}">{{name}}</text>
    <text qq:elif="{{stock > 0}}">{{name}} (few left)</text>
    <text qq:else>{{name}} (sold out)</text>
  </view>
</template>
